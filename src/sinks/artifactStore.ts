/** Kept so importers of the old path keep compiling: the store interface now lives in ../store/artifactStore.ts. */
export * from '../store/artifactStore.js';
