// treePayload: a stack reads the tree's file at plan time from tree-payloads/<stack>/, declares it by that
// path in its JSON, and a missing file fails the plan with a precondition naming the stack and the file.
import { describe, expect, it } from 'vitest';
import { ConfigMap } from '@cdktf/provider-kubernetes/lib/config-map';
import { named } from '../../../lib/terraform/addresses';
import {
  declaredTreePayloads,
  treeHeredoc,
  treeModulePayload,
  treePayload,
  treeRepoPayload,
} from '../../../lib/terraform/tree-payload';
import {
  declaredPayloads,
  payloadContent,
  payloadSource,
  standInPayload,
} from '../../../lib/review/tree-payloads';
import { expectConfigError, resource, synth, testStack } from '../../support/synth';

describe('treePayload', () => {
  const stack = testStack('forgejo');
  const p = treePayload(stack, 'files/cleanup.sh');
  const cm = named(stack, ConfigMap, 'cleanup', {
    metadata: { name: 'cleanup', namespace: 'forgejo' },
    data: {
      'cleanup.sh': p.content,
      'conf.ini': treePayload(stack, 'app.ini.tpl').template('{ port = 80 }'),
    },
  });
  p.guard(cm);
  const json = synth(stack);
  const r = resource(json, 'kubernetes_config_map', 'cleanup');
  const P = '"${path.root}/../../../tree-payloads/forgejo/files/cleanup.sh"';

  it('sha1 of the file at plan time, null when missing (a checksum annotation that rolls pods)', () => {
    expect(p.sha1).toBe(`\${fileexists(${P}) ? sha1(file(${P})) : null}`);
  });

  it('reads the file next to secrets/ at plan time, null when missing', () => {
    expect(p.relPath).toBe('tree-payloads/forgejo/files/cleanup.sh');
    expect(r.data['cleanup.sh']).toBe(`\${fileexists(${P}) ? file(${P}) : null}`);
    expect(p.expression).toBe(`file(${P})`);
    expect(r.data['conf.ini']).toContain(
      'templatefile("${path.root}/../../../tree-payloads/forgejo/app.ini.tpl", { port = 80 })',
    );
  });

  it('guards the resource with a precondition naming the stack and the file', () => {
    expect(r.lifecycle.precondition).toEqual([
      {
        condition: `\${fileexists(${P})}`,
        error_message:
          'stack forgejo: tree payload tree-payloads/forgejo/files/cleanup.sh is missing; run npm run payloads -- --from <tree checkout> (CI: npm run payloads -- --stand-ins)',
      },
    ]);
  });

  it('is declared in the stack and found in its JSON by the tools', () => {
    expect(declaredTreePayloads(stack)).toEqual(['app.ini.tpl', 'files/cleanup.sh']);
    expect(declaredPayloads(JSON.stringify(json))).toEqual([
      { stack: 'forgejo', file: 'app.ini.tpl' },
      { stack: 'forgejo', file: 'files/cleanup.sh' },
    ]);
  });

  it('rejects paths that leave the stack directory', () => {
    expect(expectConfigError(() => treePayload(testStack('x'), '../secrets/privkey.pem')).message).toMatch(
      /invalid tree payload = "..\/secrets\/privkey.pem"; allowed: a relative path inside the stack directory/,
    );
  });

  it('reads module payloads from the shared tree-payloads/_modules/, the guard naming the stack', () => {
    const s = testStack('blog');
    const m = treeModulePayload(s, 'anubis_instance/default-policy-rules.yaml');
    expect(m.relPath).toBe('tree-payloads/_modules/anubis_instance/default-policy-rules.yaml');
    expect(m.path).toBe(
      '"${path.root}/../../../tree-payloads/_modules/anubis_instance/default-policy-rules.yaml"',
    );
    const c = named(s, ConfigMap, 'x', { metadata: { name: 'x' }, data: { a: m.content } });
    m.guard(c);
    m.guard(c); // once per payload
    expect(resource(synth(s), 'kubernetes_config_map', 'x').lifecycle.precondition).toEqual([
      {
        condition: `\${fileexists(${m.path})}`,
        error_message:
          'stack blog: tree payload tree-payloads/_modules/anubis_instance/default-policy-rules.yaml is missing; run npm run payloads -- --from <tree checkout> (CI: npm run payloads -- --stand-ins)',
      },
    ]);
    expect(expectConfigError(() => treeModulePayload(s, 'anubis_instance/nope.yaml')).message).toMatch(
      /invalid tree module payload = "anubis_instance\/nope.yaml"; allowed: one of anubis_instance\/default-policy-rules.yaml/,
    );
  });

  it('treeHeredoc: a heredoc of the tree stack file, located by key and index, always a template', () => {
    const s = testStack('coturn');
    const h = treeHeredoc(s, 'turnserver.conf');
    const P = '"${path.root}/../../../tree-payloads/coturn/_heredoc/main.tf/turnserver.conf/0"';
    expect(h.relPath).toBe('tree-payloads/coturn/_heredoc/main.tf/turnserver.conf/0');
    // HCL heredocs are templates: even the literal form goes through templatefile() ($${ escapes).
    expect(h.content).toBe(`\${fileexists(${P}) ? templatefile(${P}, {}) : null}`);
    expect(h.sha1).toBe(`\${fileexists(${P}) ? sha1(templatefile(${P}, {})) : null}`);
    expect(h.expression).toBe(`templatefile(${P}, {})`);
    expect(treeHeredoc(s, '*', { file: 'cron.tf', index: 2 }).relPath).toBe(
      'tree-payloads/coturn/_heredoc/cron.tf/_any_/2',
    );
    expect(declaredTreePayloads(s)).toEqual([
      '_heredoc/cron.tf/_any_/2',
      '_heredoc/main.tf/turnserver.conf/0',
    ]);
    expect(expectConfigError(() => treeHeredoc(s, 'a b')).prop).toBe('tree heredoc key');
    expect(expectConfigError(() => treeHeredoc(s, 'k', { file: 'run.sh' })).prop).toBe('tree heredoc file');
    expect(expectConfigError(() => treeHeredoc(s, 'k', { index: -1 })).prop).toBe('tree heredoc index');
  });

  it('treeRepoPayload: a tree file outside the stack directory, at tree-payloads/_repo/<path from the tree root>', () => {
    const s = testStack('k8s-version-upgrade');
    const r = treeRepoPayload(s, 'scripts/update_k8s.sh');
    expect(r.relPath).toBe('tree-payloads/_repo/scripts/update_k8s.sh');
    const c = named(s, ConfigMap, 'x', { metadata: { name: 'x' }, data: { a: r.content } });
    r.guard(c);
    const declared = declaredPayloads(JSON.stringify(synth(s)));
    expect(declared).toEqual([{ stack: '_repo', file: 'scripts/update_k8s.sh' }]);
    expect(payloadSource(declared[0])).toEqual({ file: 'scripts/update_k8s.sh' });
    expect(payloadContent(declared[0], Buffer.from('x'))).toEqual(Buffer.from('x'));
    expect(standInPayload(declared[0])).toContain("stand-in for the tree's scripts/update_k8s.sh");
    expect(expectConfigError(() => treeRepoPayload(s, '../etc/passwd')).prop).toBe('tree repo payload');
  });
});
