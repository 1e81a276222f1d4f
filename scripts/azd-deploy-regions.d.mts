// Types for scripts/azd-deploy-regions.mjs, for the tests that import it.
export declare function secondaryApps(env: Record<string, string | undefined>): string[];
export declare function publishCommand(app: string): [string, string[]];
