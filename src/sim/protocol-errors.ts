/**
 * The `error` bodies the simulator answers bad client events with, worded and coded as the service does
 * (protocol brief §2.3, §3.3). The connection adds the client's `event_id`.
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import type { ErrorBody } from './payloads.js';

/** An error body before the client's `event_id` is attached. */
export type RequestError = Omit<ErrorBody, 'event_id'>;

const invalid = (code: string, message: string, param: string | null = null): RequestError => ({
  type: 'invalid_request_error',
  code,
  message,
  param,
});

/** Client event types the simulator understands (the rest get `invalid_value`). */
export const CLIENT_EVENTS = [
  'session.update',
  'input_audio_buffer.append',
  'input_audio_buffer.commit',
  'input_audio_buffer.clear',
  'conversation.item.create',
  'conversation.item.delete',
  'conversation.item.truncate',
  'conversation.item.retrieve',
  'response.create',
  'response.cancel',
];

export const protocolErrors = {
  commitEmpty: (bufferedBytes: number): RequestError =>
    invalid(
      'input_audio_buffer_commit_empty',
      `Expected at least 100ms of audio, but buffer only has ${(bufferedBytes / BYTES_PER_MS).toFixed(2)}ms of audio.`,
    ),
  alreadyActive: (responseId: string): RequestError =>
    invalid(
      'conversation_already_has_active_response',
      `Conversation already has an active response in progress: ${responseId}. Wait until the response is finished before creating a new one.`,
    ),
  cancelNotActive: (): RequestError =>
    invalid('response_cancel_not_active', 'Cancellation failed: no active response found'),
  invalidJson: (detail: string): RequestError =>
    invalid('invalid_json', `We could not parse the JSON body of your request. (${detail})`),
  binaryFrame: (): RequestError => invalid('invalid_value', 'Binary frames are not supported: send JSON text frames.'),
  missing: (param: string): RequestError =>
    invalid('missing_required_parameter', `Missing required parameter: '${param}'.`, param),
  unknownType: (type: string): RequestError =>
    invalid(
      'invalid_value',
      `Invalid value: '${type.slice(0, 100)}'. Supported values are: ${CLIENT_EVENTS.map((t) => `'${t}'`).join(', ')}.`,
      'type',
    ),
  badAudio: (): RequestError =>
    invalid('invalid_value', "Invalid 'audio'. Expected base64-encoded audio bytes.", 'audio'),
  itemNotFound: (id: unknown): RequestError =>
    invalid('item_not_found', `Item with item_id '${String(id).slice(0, 100)}' not found.`, 'item_id'),
  internal: (): RequestError => ({
    type: 'server_error',
    code: null,
    message: 'The simulator failed to handle this event.',
    param: null,
  }),
};
