// Types of scripts/deps.mjs for the TypeScript tests that import it.
export declare const OPENS_THE_CORE: readonly string[];
export interface WrongWayImport {
  /** Paths relative to src/. */
  from: string;
  to: string;
  why: string;
}
export declare function wrongWay(from: string, to: string): string | null;
export declare function measure(base?: string): Promise<{ files: number; circles: string[][]; upward: WrongWayImport[] }>;
