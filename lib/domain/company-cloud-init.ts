// The cloud-init user-data of a company VM, as an External Secrets (engine v2, Go template + sprig)
// template. Terraform only ever sees this template: ESO fills in the values from the company's Vault
// secret in-cluster. Pure text building, so it is tested without synth.
import { readScript } from '../core/paths';

/** Keys the company's Vault secret (`secret/companies/<name>`) must have (ESO refuses missing keys). */
export const COMPANY_SECRET_KEYS = {
  /** Newline-separated OpenSSH public keys (may be empty when the stack lists sshAuthorizedKeys). */
  sshAuthorizedKeys: 'ssh_authorized_keys',
  /** The age private key SOPS (sops-nix) decrypts the VM's secrets with. */
  sopsAgeKey: 'sops_age_key',
  /** JSON object host -> token, written to /etc/gitops/tokens.json ("{}" or empty for none). */
  gitopsTokens: 'gitops_tokens',
  /** AppRole secret-id of the in-VM agent that refreshes secrets. */
  vaultSecretId: 'vault_secret_id',
} as const;

/** Where things land inside the VM. */
export const VM_PATHS = {
  gitopsTokens: '/etc/gitops/tokens.json',
  sopsAgeKey: '/var/lib/sops-nix/key.txt',
  vaultRoleId: '/etc/rave/vault-agent/role-id',
  vaultSecretId: '/etc/rave/vault-agent/secret-id',
  environment: '/etc/rave/company.env',
  gitopsTokenSetup: '/var/lib/cloud/scripts/per-boot/10-gitops-token-setup',
} as const;

/** The script that converts tokens.json into nix access-tokens and git credentials on every boot. */
export const GITOPS_TOKEN_SETUP_SCRIPT = 'gitops-token-setup.sh';

export interface CloudInitOptions {
  /** VM name, also the hostname. */
  readonly hostname: string;
  /** Company name (for comments and the error message). */
  readonly company: string;
  /** Vault KV path below `secret/` the values come from, e.g. "companies/acme-corp". */
  readonly vaultPath: string;
  /** Login user that gets the SSH keys. */
  readonly sshUser: string;
  /** Public keys from the stack (reviewed in git), added before Vault's. */
  readonly sshAuthorizedKeys: readonly string[];
  /** AppRole role-id (not secret). */
  readonly vaultRoleId: string;
  /** Lines of /etc/rave/company.env, in order. */
  readonly environment: ReadonlyArray<readonly [string, string]>;
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const ENV_VALUE = /^[A-Za-z0-9_./:@,+=-]*$/;

/** JSON string quoting: valid YAML double-quoted scalars for the ASCII values used here. */
const q = (s: string) => JSON.stringify(s);

function checkLiteral(what: string, value: string): void {
  if (value.includes('{{') || value.includes('}}')) {
    throw new Error(`${what} must not contain "{{" or "}}" (the user-data is a Go template): ${q(value)}`);
  }
}

/**
 * The user-data template. Values from Vault are only referenced (`{{ .key }}`) and base64-encoded on
 * the way into files, so no YAML quoting can break; the embedded script is checked to hold no template
 * delimiters. Without stack keys, rendering fails (in ESO, visibly) when Vault has no SSH key either.
 */
export function cloudInitTemplate(o: CloudInitOptions): string {
  const k = COMPANY_SECRET_KEYS;
  for (const [name, value] of o.environment) {
    if (!ENV_NAME.test(name) || !ENV_VALUE.test(value)) {
      throw new Error(`environment entry ${name}=${value} is not a plain NAME=value line`);
    }
  }
  const script = readScript(GITOPS_TOKEN_SETUP_SCRIPT);
  checkLiteral(`payloads/${GITOPS_TOKEN_SETUP_SCRIPT}`, script);
  for (const key of o.sshAuthorizedKeys) checkLiteral('an SSH key', key);
  checkLiteral('the hostname', o.hostname);

  const file = (path: string, mode: string, content: string[]) => [
    `  - path: ${path}`,
    '    owner: root:root',
    `    permissions: "${mode}"`,
    ...content,
  ];
  const b64 = (expr: string) => ['    encoding: b64', `    content: {{ ${expr} | b64enc }}`];
  const block = (text: string) => [
    '    content: |',
    ...text
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => (l === '' ? '' : `      ${l}`)),
  ];

  const lines = [
    '#cloud-config',
    `# Company VM ${o.hostname} (company ${o.company}). Rendered in-cluster by External Secrets from Vault`,
    `# secret/${o.vaultPath}; Terraform only holds this template.`,
  ];
  if (o.sshAuthorizedKeys.length === 0) {
    const msg = `secret/${o.vaultPath}: ${k.sshAuthorizedKeys} is empty and the stack lists no sshAuthorizedKeys; the VM would have no SSH access`;
    lines.push(`{{ if .${k.sshAuthorizedKeys} | trim | empty }}{{ fail ${q(msg)} }}{{ end }}`);
  }
  lines.push(
    `hostname: ${o.hostname}`,
    'preserve_hostname: false',
    'ssh_pwauth: false',
    ...(o.sshUser === 'root' ? ['disable_root: false'] : []),
    'users:',
    `  - name: ${o.sshUser}`,
    '    lock_passwd: true',
    ...(o.sshUser === 'root' ? [] : ['    groups: [wheel]', '    sudo: "ALL=(ALL) NOPASSWD:ALL"']),
    '    ssh_authorized_keys:',
    ...o.sshAuthorizedKeys.map((key) => `      - ${q(key)}`),
    // One list item per non-blank line of the Vault value.
    `{{ range $key := .${k.sshAuthorizedKeys} | splitList "\\n" }}{{ if $key | trim }}      - {{ $key | trim | quote }}`,
    '{{ end }}{{ end }}write_files:',
    ...file(VM_PATHS.gitopsTokens, '0600', b64(`.${k.gitopsTokens} | default "{}"`)),
    ...file(VM_PATHS.sopsAgeKey, '0600', b64(`.${k.sopsAgeKey}`)),
    ...file(VM_PATHS.vaultRoleId, '0600', [`    content: ${q(o.vaultRoleId)}`]),
    ...file(VM_PATHS.vaultSecretId, '0600', b64(`.${k.vaultSecretId}`)),
    ...file(VM_PATHS.environment, '0644', block(o.environment.map(([n, v]) => `${n}=${v}`).join('\n'))),
    ...file(VM_PATHS.gitopsTokenSetup, '0700', block(script)),
  );
  return lines.join('\n') + '\n';
}
