// Which values must never be printed in a PR comment. Terraform marks what the provider schema calls
// sensitive (`before_sensitive`/`after_sensitive`); a synthesized cdk.tf.json has no such marks, and a
// provider does not know that a ConfigMap key or an env var holds a token. So both the plan comment and the
// synth diff add these name/shape rules on top (a value masked by either is shown as `(sensitive)`):
//
// 1. Whole attributes of secret-holding resource types (SECRET_ATTRIBUTES): `data`/`binary_data` of
//    kubernetes_secret(_v1), `data_json`/`data` of the Vault KV/generic secrets, ...
// 2. Any value under a key that always holds secret material (SECRET_SUBTREE_KEYS): `set_sensitive` (helm),
//    `.dockerconfigjson`, `.dockercfg`, `stringData`/`string_data`, `credentials`.
// 3. A leaf whose own key looks like a secret (SECRET_KEY_WORDS, matched on the key lower-cased without
//    `_`, `-` and `.`): password, passwd, passphrase, secret, token, apikey, privatekey, accesskey,
//    credential, htpasswd, privkey, tlskey, sshkey, salt, bearer, jwt, and the exact key `auth`
//    (base64 user:password in docker configs). Keys that only *refer* to a secret are exempt
//    (REFERENCE_SUFFIXES: `secret_name`, `secret_key_ref`, `token_ttl`, `vault_path`, `...type`, ...), and so
//    is ExternalSecret's `secretKey` next to a `remoteRef` (it names a key in the target Secret).
// 4. `{name, value}` pairs (container env, helm `set`): `value` is masked when `name` looks like a secret
//    per rule 3 (e.g. `{name: "DB_PASSWORD", value: ...}`).
// 5. Value shapes, anywhere: PEM blocks (`-----BEGIN`), JWTs (`eyJ...` three dot-separated parts), URLs
//    with a password (`scheme://user:password@host`), and token formats (`ghp_`, `glpat-`, `sk-ant-`, `hf_`,
//    `xox?-`, `AKIA`; lib/validation/credentials.ts).
// 6. Kubernetes Secret manifests: `kubernetes_manifest` `manifest`/`object` with kind Secret (its `data`
//    and `stringData`), `kubectl_manifest` `yaml_body` whose kind is Secret (the whole body).
//
// Exception: a string that is only a Terraform reference (`${data.vault_kv_secret_v2.x.data["password"]}`)
// names where the secret comes from, not the secret; it is shown so reviewers see the wiring change.
import { type Json, type Marks, isObject } from '../review/value-diff';
import { credentialShape } from './credentials';

/** Attributes that are secret as a whole, per resource type (rule 1). */
export const SECRET_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  kubernetes_secret: ['data', 'binary_data', 'data_wo'],
  kubernetes_secret_v1: ['data', 'binary_data', 'data_wo'],
  vault_kv_secret_v2: ['data_json', 'data', 'data_json_wo'],
  vault_kv_secret: ['data_json', 'data'],
  vault_generic_secret: ['data_json', 'data'],
  vault_generic_endpoint: ['data_json', 'write_data_json', 'write_data'],
  tls_private_key: ['private_key_pem', 'private_key_openssh', 'private_key_pem_pkcs8'],
  random_password: ['result', 'bcrypt_hash'],
};

/** Keys whose whole value is secret material (rule 2), compared normalised. */
export const SECRET_SUBTREE_KEYS: readonly string[] = [
  'setsensitive',
  'dockerconfigjson',
  'dockercfg',
  'stringdata',
  'credentials',
];

/** Words that make a leaf key secret (rule 3), compared normalised. */
export const SECRET_KEY_WORDS: readonly string[] = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'accesskey',
  'credential',
  'htpasswd',
  'privkey',
  'tlskey',
  'sshkey',
  'salt',
  'bearer',
  'jwt',
];

/** Key endings that name or point at a secret rather than hold one. */
export const REFERENCE_SUFFIXES: readonly string[] = [
  'name',
  'names',
  'ref',
  'refs',
  'path',
  'paths',
  'ttl',
  'type',
  'file',
  'policy',
  'policies',
  'namespace',
  'selector',
  'mount',
  'version',
  'field',
  'fields',
  'length',
  'period',
  'interval',
  'enabled',
];

const normalise = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** True when a key (its last path key) looks like it holds a secret value (rule 3). */
export function isSecretKey(key: string): boolean {
  const k = normalise(key);
  if (k === 'auth') return true;
  if (!SECRET_KEY_WORDS.some((w) => k.includes(w))) return false;
  return !REFERENCE_SUFFIXES.some((s) => k.endsWith(s) && k !== s);
}

const PEM = /-----BEGIN [A-Z0-9 ]*-----/;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/;
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i;

/** True when a string looks like secret material by its shape alone (rule 5, and the token formats of credentials.ts). */
export function looksLikeSecretValue(value: string): boolean {
  return (
    PEM.test(value) || JWT.test(value) || URL_PASSWORD.test(value) || credentialShape(value) !== undefined
  );
}

const REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+|\[(\d+|"[^"\\$]*")\])+\}$/;

/** A string that is only a Terraform reference such as `${data.x.y.data["k"]}` (never masked). */
export function isReference(value: string): boolean {
  return REFERENCE.test(value) && !looksLikeSecretValue(value);
}

const YAML_KIND = /^kind:\s*["']?([A-Za-z0-9]+)/m;

/** The `kind` of a Kubernetes manifest held by a kubernetes_manifest / kubectl_manifest value. */
export function manifestKind(resourceType: string, attrs: unknown): string | undefined {
  if (!isObject(attrs)) return undefined;
  if (resourceType === 'kubernetes_manifest') {
    for (const key of ['manifest', 'object']) {
      const m = attrs[key];
      if (isObject(m) && typeof m.kind === 'string') return m.kind;
    }
    return undefined;
  }
  if (resourceType === 'kubectl_manifest') {
    const parsed = attrs.yaml_body_parsed;
    for (const body of [attrs.yaml_body, parsed]) {
      if (typeof body === 'string') {
        const m = YAML_KIND.exec(body);
        if (m) return m[1];
      }
    }
    return undefined;
  }
  return undefined;
}

/**
 * Sensitivity marks (Terraform's `*_sensitive` shape) for one resource's attributes by the rules above.
 * Merge them with Terraform's own marks (`mergeMarks`) before diffing.
 */
export function secretMarks(resourceType: string, attrs: unknown): Marks {
  if (!isObject(attrs)) return typeof attrs === 'string' && looksLikeSecretValue(attrs) ? true : undefined;
  const kind = manifestKind(resourceType, attrs);
  const wholeAttrs = new Set(SECRET_ATTRIBUTES[resourceType] ?? []);
  if (kind === 'Secret') {
    if (resourceType === 'kubectl_manifest') {
      wholeAttrs.add('yaml_body');
      wholeAttrs.add('yaml_body_parsed');
      wholeAttrs.add('yaml_incluster');
    }
  }
  const secretManifest = kind === 'Secret' && resourceType === 'kubernetes_manifest';

  const walk = (v: Json, secret: boolean, lastKey: string | undefined): Marks => {
    if (typeof v === 'string') {
      if (isReference(v)) return undefined;
      return secret || (lastKey !== undefined && isSecretKey(lastKey)) || looksLikeSecretValue(v)
        ? true
        : undefined;
    }
    if (v === null) return undefined;
    if (typeof v !== 'object')
      return secret || (lastKey !== undefined && isSecretKey(lastKey)) ? true : undefined;
    let any = false;
    if (Array.isArray(v)) {
      const out = v.map((c) => {
        const m = walk(c, secret, lastKey);
        if (m !== undefined) any = true;
        return m;
      });
      return any ? out : undefined;
    }
    const out: { [key: string]: Marks } = {};
    const pairName = typeof v.name === 'string' ? v.name : undefined;
    const hasRemoteRef = 'remoteRef' in v || 'remote_ref' in v;
    for (const [k, c] of Object.entries(v)) {
      let childSecret = secret || SECRET_SUBTREE_KEYS.includes(normalise(k));
      if (k === 'value' && pairName !== undefined && isSecretKey(pairName)) childSecret = true;
      const keyForChild = hasRemoteRef && normalise(k) === 'secretkey' ? undefined : k;
      const m = walk(c, childSecret, keyForChild);
      if (m !== undefined) {
        out[k] = m;
        any = true;
      }
    }
    return any ? out : undefined;
  };

  const out: { [key: string]: Marks } = {};
  let any = false;
  for (const [k, v] of Object.entries(attrs)) {
    let secret = wholeAttrs.has(k);
    let m: Marks;
    if (secretManifest && (k === 'manifest' || k === 'object') && isObject(v)) {
      const inner: { [key: string]: Marks } = {};
      let innerAny = false;
      for (const [ik, iv] of Object.entries(v)) {
        const im = walk(iv, ik === 'data' || ik === 'stringData' || ik === 'binaryData', ik);
        if (im !== undefined) {
          inner[ik] = im;
          innerAny = true;
        }
      }
      m = innerAny ? inner : undefined;
    } else {
      if (SECRET_SUBTREE_KEYS.includes(normalise(k))) secret = true;
      m = walk(v, secret, k);
    }
    if (m !== undefined) {
      out[k] = m;
      any = true;
    }
  }
  return any ? out : undefined;
}
