// Types of tools/lazy-imports.mjs for the tests that import it.
import type { Plugin } from 'esbuild';

/** The names a CommonJS binding module exports (its `exports.X` and, recursively, its `__exportStar`s). */
export function bindingExports(file: string): string[];
/** The esbuild plugin: construct and binding imports of the app bundle load on first use. */
export function lazyImports(root: string, esbuild: typeof import('esbuild')): Plugin;
