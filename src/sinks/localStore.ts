/** Kept so importers of the old path keep compiling: the local store now lives in ../store/localStore.ts. */
export * from '../store/localStore.js';
