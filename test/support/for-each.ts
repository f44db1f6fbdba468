// Expands a for_each resource of the synthesized JSON into its instances, the way Terraform does for
// literal maps: `${each.key}` and `${each.value.<attr>}` are replaced by the key and the map's values.
import type { Json, TfJson } from './synth';
import { resource } from './synth';

/** Instances of `type.name` by for_each key (the address is `type.name["<key>"]`), without `for_each`. */
export function forEachInstances(json: TfJson, type: string, name: string): Map<string, Json> {
  const { for_each: map, ...body } = resource(json, type, name) as Record<string, Json>;
  if (!map || typeof map !== 'object' || Array.isArray(map)) {
    throw new Error(`${type}.${name} has no literal for_each map`);
  }
  const text = JSON.stringify(body);
  const out = new Map<string, Json>();
  for (const [key, value] of Object.entries(map as Record<string, Json>)) {
    const inner = (s: unknown) => JSON.stringify(String(s)).slice(1, -1);
    const expanded = text
      .replace(/\$\{each\.key\}/g, () => inner(key))
      .replace(/\$\{each\.value\.([A-Za-z0-9_]+)\}/g, (_whole, attr: string) => {
        if (!(attr in value)) throw new Error(`${type}.${name}["${key}"]: for_each value has no ${attr}`);
        return inner(value[attr]);
      });
    if (/\$\{each\./.test(expanded)) throw new Error(`${type}.${name}["${key}"]: unexpanded each reference`);
    out.set(key, JSON.parse(expanded));
  }
  return out;
}

/** Every declared address with for_each resources expanded to `type.name["key"]` (as state lists them). */
export function instanceAddresses(json: TfJson): Set<string> {
  const out = new Set<string>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName as Record<string, Json>)) {
      const map = body.for_each;
      if (map && typeof map === 'object' && !Array.isArray(map)) {
        for (const key of Object.keys(map)) out.add(`${type}.${name}[${JSON.stringify(key)}]`);
      } else {
        out.add(`${type}.${name}`);
      }
    }
  }
  for (const [type, byName] of Object.entries(json.data ?? {}))
    for (const n of Object.keys(byName)) out.add(`data.${type}.${n}`);
  return out;
}
