// Types for scripts/bicep.mjs (plain Node ESM), for the TypeScript tests that import it.
export declare const ROOT: string;
export declare const INFRA_DIR: string;
export declare const TOOLS_DIR: string;
export declare const ARM_OUT_DIR: string;
export declare const BICEP_VERSION: string;

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  level: 'Error' | 'Warning' | 'Info';
  code: string;
  message: string;
}

export interface BicepRun {
  ok: boolean;
  status: number | null;
  diagnostics: Diagnostic[];
  stdout: string;
  stderr: string;
}

export type BicepTool = { available: true; path: string; version: string } | { available: false; reason: string };

export declare function findDotnet(): { available: true; version: string } | { available: false; reason: string };
export declare function bicepPath(version?: string): string;
export declare function ensureBicep(options?: { log?: (message: string) => void }): BicepTool;
export declare function parseDiagnostics(text: string): Diagnostic[];
export declare function buildArm(
  file: string,
  options?: { outDir?: string },
): BicepRun & { outFile: string; template: any };
export declare function buildAll(pattern?: string, options?: { outDir?: string }): BicepRun;
export declare function lintAll(pattern?: string): BicepRun;
export declare function buildParams(
  file: string,
  options?: { outDir?: string },
): BicepRun & { outFile: string; parameters: any };
export declare function lint(file: string, options?: { config?: string }): BicepRun;
export declare function snapshot(
  paramsFile: string,
  options?: { subscriptionId?: string; resourceGroup?: string; location?: string; tenantId?: string },
): BicepRun & { outFile: string; snapshot: any };
export declare function listFiles(dir: string, suffixes: string[]): string[];
export declare function formatDiagnostic(d: Diagnostic): string;
