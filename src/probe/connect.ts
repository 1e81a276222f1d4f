/** Kept for existing imports: the WebSocket handshake now lives in websocket.ts, error classes in socketErrors.ts. */
export { classifySocketError } from './socketErrors.js';
