import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cloudInitTemplate,
  COMPANY_SECRET_KEYS,
  VM_PATHS,
  type CloudInitOptions,
} from '../../../lib/domain/company-cloud-init';
import { readScript } from '../../../lib/core/paths';
import { FakeBins, run, tempDir } from '../../support/fakes';
import { renderGoTemplate, TemplateError } from '../../support/go-template';

const options: CloudInitOptions = {
  hostname: 'acme-corp',
  company: 'acme-corp',
  vaultPath: 'companies/acme-corp',
  sshUser: 'root',
  sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIStackKey ops@laptop'],
  vaultRoleId: 'company-acme-corp',
  environment: [
    ['RAVE_COMPANY', 'acme-corp'],
    ['RAVE_HTTPS_PORT', '8101'],
  ],
};

// Fake Vault values, as ESO hands them to the template (strings).
const TOKENS = { 'github.com': 'ghp_FAKEfakeFAKE', 'gitlab.com': 'PAT:glpat-FAKE/fake' };
const vault = {
  [COMPANY_SECRET_KEYS.sshAuthorizedKeys]:
    'ssh-ed25519 AAAAVaultKeyOne one@x\r\n\n  ssh-rsa AAAAVaultKeyTwo two@y  \n',
  [COMPANY_SECRET_KEYS.sopsAgeKey]: 'AGE-SECRET-KEY-1FAKEFAKEFAKE',
  [COMPANY_SECRET_KEYS.gitopsTokens]: JSON.stringify(TOKENS),
  [COMPANY_SECRET_KEYS.vaultSecretId]: 'fake-secret-id-0000',
};

/** The `content:` of the write_files entry for `filePath` in rendered user-data. */
function fileEntry(userdata: string, filePath: string): { mode: string; content: string } {
  const lines = userdata.split('\n');
  const start = lines.indexOf(`  - path: ${filePath}`);
  if (start < 0) throw new Error(`no write_files entry ${filePath}`);
  const mode = /permissions: "(\d+)"/.exec(lines.slice(start, start + 4).join('\n'))![1];
  let i = lines.findIndex((l, j) => j > start && l.startsWith('    content:'));
  const first = lines[i].slice('    content: '.length);
  const b64 = lines.slice(start, i).some((l) => l === '    encoding: b64');
  if (first !== '|')
    return { mode, content: b64 ? Buffer.from(first, 'base64').toString('utf8') : JSON.parse(first) };
  const body: string[] = [];
  for (i++; i < lines.length && (lines[i] === '' || lines[i].startsWith('      ')); i++)
    body.push(lines[i].slice(6));
  while (body.length && body[body.length - 1] === '') body.pop();
  return { mode, content: body.join('\n') + '\n' };
}

describe('cloudInitTemplate', () => {
  const template = cloudInitTemplate(options);
  const rendered = renderGoTemplate(template, vault);

  it('holds only references to the Vault keys, never values', () => {
    for (const key of Object.values(COMPANY_SECRET_KEYS)) expect(template).toContain(`.${key}`);
    for (const value of Object.values(vault)) expect(template).not.toContain(value.trim());
    expect(template).not.toMatch(/ghp_|glpat|AGE-SECRET-KEY|-----BEGIN/);
  });

  it('renders a #cloud-config with the stack key first, then every non-blank Vault key line', () => {
    expect(rendered.startsWith('#cloud-config\n')).toBe(true);
    const keysBlock = rendered.slice(
      rendered.indexOf('    ssh_authorized_keys:\n'),
      rendered.indexOf('write_files:'),
    );
    expect(keysBlock).toBe(
      [
        '    ssh_authorized_keys:',
        '      - "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIStackKey ops@laptop"',
        '      - "ssh-ed25519 AAAAVaultKeyOne one@x"',
        '      - "ssh-rsa AAAAVaultKeyTwo two@y"',
        '',
      ].join('\n'),
    );
    expect(rendered).toContain('\nhostname: acme-corp\n');
    expect(rendered).toContain('\ndisable_root: false\nusers:\n  - name: root\n    lock_passwd: true\n');
    expect(rendered).toContain('\nssh_pwauth: false\n');
  });

  it('writes tokens.json, the age key and the AppRole credentials 0600, the environment 0644', () => {
    const tokens = fileEntry(rendered, VM_PATHS.gitopsTokens);
    expect(tokens.mode).toBe('0600');
    expect(JSON.parse(tokens.content)).toEqual(TOKENS);
    expect(fileEntry(rendered, VM_PATHS.sopsAgeKey)).toEqual({ mode: '0600', content: vault.sops_age_key });
    expect(fileEntry(rendered, VM_PATHS.vaultRoleId)).toEqual({ mode: '0600', content: 'company-acme-corp' });
    expect(fileEntry(rendered, VM_PATHS.vaultSecretId)).toEqual({
      mode: '0600',
      content: vault.vault_secret_id,
    });
    expect(fileEntry(rendered, VM_PATHS.environment)).toEqual({
      mode: '0644',
      content: 'RAVE_COMPANY=acme-corp\nRAVE_HTTPS_PORT=8101\n',
    });
  });

  it('embeds payloads/gitops-token-setup.sh verbatim as a per-boot script', () => {
    expect(fileEntry(rendered, VM_PATHS.gitopsTokenSetup)).toEqual({
      mode: '0700',
      content: readScript('gitops-token-setup.sh'),
    });
  });

  it('writes "{}" when the tokens map is empty', () => {
    const out = renderGoTemplate(template, { ...vault, gitops_tokens: '' });
    expect(fileEntry(out, VM_PATHS.gitopsTokens).content).toBe('{}');
  });

  it('fails the render (ESO reports it) when neither the stack nor Vault has an SSH key', () => {
    const noStackKeys = cloudInitTemplate({ ...options, sshAuthorizedKeys: [] });
    expect(() => renderGoTemplate(noStackKeys, { ...vault, ssh_authorized_keys: ' \n' })).toThrow(
      'fail: secret/companies/acme-corp: ssh_authorized_keys is empty and the stack lists no sshAuthorizedKeys',
    );
    expect(renderGoTemplate(noStackKeys, vault)).toContain('      - "ssh-rsa AAAAVaultKeyTwo two@y"');
    // With stack keys an empty Vault value is fine.
    expect(renderGoTemplate(template, { ...vault, ssh_authorized_keys: '' })).toContain('StackKey');
  });

  it('fails like ESO when a documented key is missing in Vault', () => {
    for (const key of Object.values(COMPANY_SECRET_KEYS)) {
      const partial: Record<string, string> = { ...vault };
      delete partial[key];
      expect(() => renderGoTemplate(template, partial)).toThrow(TemplateError);
    }
  });

  it('gives a non-root user sudo through wheel', () => {
    const out = renderGoTemplate(cloudInitTemplate({ ...options, sshUser: 'dev' }), vault);
    expect(out).not.toContain('disable_root');
    expect(out).toContain(
      '  - name: dev\n    lock_passwd: true\n    groups: [wheel]\n    sudo: "ALL=(ALL) NOPASSWD:ALL"\n',
    );
  });

  it('refuses environment lines that are not NAME=value and literals with template delimiters', () => {
    expect(() => cloudInitTemplate({ ...options, environment: [['lower', 'x']] })).toThrow(
      'not a plain NAME=value',
    );
    expect(() => cloudInitTemplate({ ...options, environment: [['A', 'x y']] })).toThrow(
      'not a plain NAME=value',
    );
    expect(() => cloudInitTemplate({ ...options, sshAuthorizedKeys: ['ssh-ed25519 AAAA {{ .x }}'] })).toThrow(
      'must not contain "{{" or "}}"',
    );
  });

  it('end to end: the rendered per-boot script turns the rendered tokens.json into nix and git credentials', async () => {
    const t = tempDir('cloud-init-e2e-');
    const fakes = new FakeBins().add('id', 'exit 1').add('chown');
    try {
      const script = path.join(t.dir, 'gitops-token-setup');
      fs.writeFileSync(script, fileEntry(rendered, VM_PATHS.gitopsTokenSetup).content, { mode: 0o700 });
      const tokens = path.join(t.dir, 'tokens.json');
      fs.writeFileSync(tokens, fileEntry(rendered, VM_PATHS.gitopsTokens).content);
      const r = await run(['sh', script], {
        path: fakes.path(),
        env: {
          TOKENS_FILE: tokens,
          NIX_ACCESS_TOKENS_FILE: path.join(t.dir, 'access-tokens.conf'),
          GIT_CREDENTIALS_FILE: path.join(t.dir, 'git-credentials'),
          TMPDIR: t.dir,
        },
      });
      expect(r.code).toBe(0);
      expect(fs.readFileSync(path.join(t.dir, 'access-tokens.conf'), 'utf8')).toBe(
        'access-tokens = github.com=ghp_FAKEfakeFAKE gitlab.com=PAT:glpat-FAKE/fake\n',
      );
      expect(fs.readFileSync(path.join(t.dir, 'git-credentials'), 'utf8')).toBe(
        'https://oauth2:ghp_FAKEfakeFAKE@github.com\nhttps://oauth2:glpat-FAKE%2Ffake@gitlab.com\n',
      );
    } finally {
      fakes.cleanup();
      t.cleanup();
    }
  });
});
