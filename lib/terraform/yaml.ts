// Terraform's `yamlencode()` output, reproduced for the values our manifests use, so a kubectl_manifest
// yaml_body synthesized here is byte-identical to the one the tree's `yamlencode({...})` put in state.
// Terraform (go-yaml) sorts keys, double-quotes every string and key, and indents list items at their
// parent key's level. Multi-line strings and lines over 80 columns (which go-yaml folds) are refused
// rather than approximated.
export type YamlValue =
  string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

const MAX_WIDTH = 80;

export function yamlencode(value: YamlValue): string {
  const lines: string[] = [];
  emit(value, 0, lines);
  for (const line of lines) {
    if (line.length > MAX_WIDTH) {
      throw new Error(
        `yamlencode: line longer than ${MAX_WIDTH} columns is folded by Terraform and not supported: ${line}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

function scalar(value: YamlValue): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`yamlencode: non-finite number ${value}`);
    return Number.isInteger(value) && Math.abs(value) < 1e21 ? BigInt(value).toString() : String(value);
  }
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (!Array.isArray(value) && typeof value === 'object' && Object.keys(value).length === 0) return '{}';
  return undefined;
}

function quote(s: string): string {
  if (/[\u0000-\u0008\n\u000b-\u001f\u007f]/.test(s)) {
    throw new Error(
      `yamlencode: strings with line breaks or control characters are not supported: ${JSON.stringify(s)}`,
    );
  }
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\t/g, '\\t')}"`;
}

function emit(value: YamlValue, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  const s = scalar(value);
  if (s !== undefined) {
    out.push(pad + s);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value as readonly YamlValue[]) emitListItem(item, indent, out);
    return;
  }
  const map = value as { readonly [key: string]: YamlValue };
  for (const key of Object.keys(map).sort()) {
    const v = map[key];
    const sv = scalar(v);
    if (sv !== undefined) {
      out.push(`${pad}${quote(key)}: ${sv}`);
    } else {
      out.push(`${pad}${quote(key)}:`);
      // Lists sit at the key's indentation; maps one level deeper.
      emit(v, Array.isArray(v) ? indent : indent + 2, out);
    }
  }
}

function emitListItem(item: YamlValue, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  const s = scalar(item);
  if (s !== undefined) {
    out.push(`${pad}- ${s}`);
    return;
  }
  const nested: string[] = [];
  emit(item, indent + 2, nested);
  // The first nested line moves up onto the dash line.
  nested[0] = `${pad}- ${nested[0].slice(indent + 2)}`;
  out.push(...nested);
}
