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
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

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
 * The names a CommonJS binding module exports: its `exports.X = ` assignments and, recursively, those of
 * the files it re-exports with `__exportStar(require("./..."), exports)` (the layout jsii/tsc generate).
 * Read from the files rather than by loading the bindings (~1 s in the build process).
 */
export function bindingExports(file) {
  const text = readFileSync(file, 'utf8');
  const names = new Set([...text.matchAll(/\bexports\.([A-Za-z_$][\w$]*) = /g)].map((m) => m[1]));
  for (const m of text.matchAll(/__exportStar\(require\("(\.[^"]+)"\), exports\)/g)) {
    const target = createRequire(file).resolve(m[1]);
    for (const n of bindingExports(target)) names.add(n);
  }
  names.delete('__esModule');
  return [...names];
}

/** The cached names, or none when the cache is missing or unreadable (it is only a cache). */
function readCache(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

function sourcesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourcesUnder(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/**
 * @param {string} root the repository root
 * @param {typeof import('esbuild')} esbuild the esbuild module (to read the construct modules' export names)
 */
export function lazyImports(root, esbuild) {
  const requireFromRoot = createRequire(join(root, 'package.json'));
  const constructsDir = join(root, 'constructs') + sep;
  const lazyImporter = (file) =>
    file.startsWith(join(root, 'stacks') + sep) || file.startsWith(constructsDir);
  // The runtime exports (types are gone) of every construct module, from one unbundled esbuild pass,
  // started with the build so it runs while esbuild parses.
  let sourceExports;
  const startExportPass = () => {
    sourceExports ??= esbuild
      .build({
        entryPoints: sourcesUnder(constructsDir),
        outdir: join(root, 'dist', '.lazy-exports'), // required for several entry points; nothing is written
        bundle: false,
        write: false,
        metafile: true,
        format: 'esm',
        platform: 'node',
        logLevel: 'silent',
      })
      .then(
        (out) =>
          new Map(
            Object.values(out.metafile.outputs)
              .filter((o) => o.entryPoint)
              .map((o) => [join(root, o.entryPoint), o.exports]),
          ),
      );
    return sourceExports;
  };
  const exportsOfSource = async (file) => {
    const names = (await startExportPass()).get(file);
    if (!names) throw new Error(`lazy-imports: no export list for ${file}`);
    return names;
  };
  // Binding export names depend only on the installed package version: read once, kept where tools keep
  // their caches (node_modules/.cache; a repo copy that links node_modules shares it).
  const cacheFile = join(root, 'node_modules', '.cache', 'lazy-imports', 'bindings.json');
  let cache;
  let cacheChanged = false;
  const bindingNames = (spec) => {
    cache ??= readCache(cacheFile);
    const pkg = spec.split('/').slice(0, 2).join('/');
    const { version } = requireFromRoot(`${pkg}/package.json`);
    const key = `${spec}@${version}`;
    if (!cache[key]) {
      cache[key] = bindingExports(requireFromRoot.resolve(spec));
      cacheChanged = true;
    }
    return cache[key];
  };
  return {
    name: 'lazy-imports',
    setup(build) {
      build.onStart(() => {
        startExportPass();
      });
      build.onEnd(() => {
        if (!cacheChanged) return;
        cacheChanged = false;
        // atomically: builds in repo copies may run at the same time
        mkdirSync(dirname(cacheFile), { recursive: true });
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, JSON.stringify(cache));
        renameSync(tmp, cacheFile);
      });
      build.onResolve({ filter: BINDING }, (args) =>
        // the getter module's own require() of the binding stays external
        args.namespace === LAZY
          ? { path: args.path, external: true }
          : { path: args.path, namespace: LAZY, pluginData: { binding: true } },
      );
      // Only paths that can name a construct module: `./x` (a sibling), `../constructs/...` (a stack),
      // `../blocks/...`, `../patterns/...` (between construct folders); each callback is a round trip.
      build.onResolve({ filter: /^(\.\/|\.\.\/(constructs|blocks|patterns)\/)/ }, (args) => {
        if (args.namespace !== 'file' || !lazyImporter(args.importer)) return undefined;
        // Resolved here rather than by esbuild (a round trip per import): sources are `<path>.ts` or
        // `<path>/index.ts`.
        const base = resolve(args.resolveDir, args.path);
        if (!base.startsWith(constructsDir)) return undefined;
        const file = [`${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(f));
        return file ? { path: file, namespace: LAZY } : undefined;
      });
      build.onResolve({ filter: /.*/, namespace: LAZY }, (args) =>
        // the getter module's require() of the real source file
        args.path.startsWith('/') ? { path: args.path } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: LAZY }, async (args) => {
        const names = args.pluginData?.binding ? bindingNames(args.path) : await exportsOfSource(args.path);
        return {
          contents: getterModule(args.path, names),
          loader: 'js',
          resolveDir: root,
          watchFiles: args.pluginData?.binding ? [] : [args.path],
        };
      });
    },
  };
}
