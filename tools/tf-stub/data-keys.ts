// The stub providers cannot see expressions, so a data source's map (or list) attribute would come back
// empty and `data.<type>.<name>.<attr>["key"]` / `[0]` / `lookup(data....<attr>, "key")` would fail.
// scanDataKeys finds those references in a Terraform JSON (or HCL) configuration; the result, written
// to a file named by TF_STUB_DATA_KEYS, maps "<data type>.<attr>" to the keys (or list indexes) the
// stubs must provide. Keys are per type, not per data source name (the provider is not told the name).
import * as fs from 'node:fs';

export type DataKeys = Record<string, string[]>;

const INDEX_RE = /data\.([\w-]+)\.[\w-]+(?:\[[^\]]*\])?\.([\w-]+)\[\s*(?:"([^"]*)"|(\d+))\s*\]/g;
const LOOKUP_RE = /lookup\(\s*data\.([\w-]+)\.[\w-]+(?:\[[^\]]*\])?\.([\w-]+)\s*,\s*"([^"]*)"/g;
// `jsondecode(data.<type>.<name>.<attr>["key"])` (or of a lookup()): the stub must return JSON there, so the
// key is also listed under "<type>.<attr>.json" (a faked plain string would fail the jsondecode).
const JSON_RE =
  /jsondecode\(\s*(?:data\.([\w-]+)\.[\w-]+\.([\w-]+)\[\s*"([^"]*)"\s*\]|lookup\(\s*data\.([\w-]+)\.[\w-]+\.([\w-]+)\s*,\s*"([^"]*)")/g;

function scanText(text: string, into: Map<string, Set<string>>): void {
  const add = (type: string, attr: string, key: string) => {
    const k = `${type}.${attr}`;
    if (!into.has(k)) into.set(k, new Set());
    into.get(k)!.add(key);
  };
  for (const m of text.matchAll(INDEX_RE)) add(m[1]!, m[2]!, m[3] ?? m[4]!);
  for (const m of text.matchAll(LOOKUP_RE)) add(m[1]!, m[2]!, m[3]!);
  for (const m of text.matchAll(JSON_RE)) add(m[1] ?? m[4]!, `${m[2] ?? m[5]!}.json`, m[3] ?? m[6]!);
}

/** Every string in a parsed JSON value (Terraform JSON expressions live in strings). */
export function configStrings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const e of v) configStrings(e, out);
  else if (v && typeof v === 'object') for (const e of Object.values(v)) configStrings(e, out);
}

/** Keys referenced per "<data type>.<attr>", sorted, from configuration texts (JSON or HCL). */
export function scanDataKeys(...configs: string[]): DataKeys {
  const found = new Map<string, Set<string>>();
  for (const text of configs) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined) scanText(text, found);
    else {
      const all: string[] = [];
      configStrings(parsed, all);
      for (const s of all) scanText(s, found);
    }
  }
  return Object.fromEntries(
    [...found].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()]),
  );
}

/** Scans configuration files and writes the TF_STUB_DATA_KEYS file; returns the keys. */
export function writeDataKeys(configFiles: string[], outFile: string): DataKeys {
  const keys = scanDataKeys(...configFiles.map((f) => fs.readFileSync(f, 'utf8')));
  fs.writeFileSync(outFile, JSON.stringify(keys, null, 2) + '\n');
  return keys;
}
