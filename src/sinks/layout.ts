/** Kept so importers of the old path keep compiling: the storage layout now lives in ../store/layout.ts. */
export * from '../store/layout.js';
