// An esbuild plugin for the app bundle: "inline requires". Imports of construct modules and of provider
// bindings resolve to a small module of getters that loads the real module on first use.
// Why: a module evaluates its imports when it loads, and the registry (stacks/index.ts) imports every
// stack, so without this `npm run synth -- blog` would load every construct and every binding the app
// uses (~50 binding modules, ~0.8 s) to build one stack. With it, a stack file's top level only declares
// its definition; its constructs and their bindings load when build() runs.
// What stays eager: cdktf and lib/ (conventions, validation, synth), and a binding that a construct
// subclasses at its top level (the class needs its base when it is defined).
// Behaviour is unchanged: each getter returns the real module's export (same identity), and a module
// used at the top level is simply loaded there. Only the bundle (dist/) is affected; tests load sources.
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';

/** `@cdktf/provider-<name>/lib/<resource>`: one binding module (packages stay external). */
const BINDING = /^@cdktf\/provider-[a-z]+\/lib\/[a-z0-9-]+$/;
const LAZY = 'lazy-import';

function getterModule(target, names) {
  const lines = [
    'let m;',
    `const load = () => (m ??= require(${JSON.stringify(target)}));`,
    "Object.defineProperty(exports, '__esModule', { value: true });",
    ...names.map(
      (n) =>
        `Object.defineProperty(exports, ${JSON.stringify(n)}, { enumerable: true, get: () => load()[${JSON.stringify(n)}] });`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * @param {string} root the repository root
 * @param {typeof import('esbuild')} esbuild the esbuild module (to read a source module's export names)
 */
export function lazyImports(root, esbuild) {
  const requireFromRoot = createRequire(join(root, 'package.json'));
  const constructsDir = join(root, 'constructs') + sep;
  const lazyImporter = (file) =>
    file.startsWith(join(root, 'stacks') + sep) || file.startsWith(constructsDir);
  return {
    name: 'lazy-imports',
    setup(build) {
      build.onResolve({ filter: BINDING }, (args) =>
        // the getter module's own require() of the binding stays external
        args.namespace === LAZY
          ? { path: args.path, external: true }
          : { path: args.path, namespace: LAZY, pluginData: { binding: true } },
      );
      build.onResolve({ filter: /^\.\.?\// }, async (args) => {
        if (args.namespace !== 'file' || args.pluginData?.real || !lazyImporter(args.importer))
          return undefined;
        const r = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { real: true },
        });
        if (r.errors.length || !r.path.startsWith(constructsDir)) return undefined;
        return { path: r.path, namespace: LAZY };
      });
      build.onResolve({ filter: /.*/, namespace: LAZY }, (args) =>
        // the getter module's require() of the real source file
        args.path.startsWith('/') ? { path: args.path } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: LAZY }, async (args) => {
        if (args.pluginData?.binding) {
          const names = Object.keys(requireFromRoot(args.path)).filter((n) => n !== '__esModule');
          return { contents: getterModule(args.path, names), loader: 'js', resolveDir: root };
        }
        // A source module's runtime exports (types are gone), as esbuild compiles it on its own.
        const out = await esbuild.build({
          entryPoints: [args.path],
          bundle: false,
          write: false,
          metafile: true,
          format: 'esm',
          platform: 'node',
          logLevel: 'silent',
        });
        const names = Object.values(out.metafile.outputs).flatMap((o) => o.exports);
        return {
          contents: getterModule(args.path, names),
          loader: 'js',
          resolveDir: root,
          watchFiles: [args.path],
        };
      });
    },
  };
}
