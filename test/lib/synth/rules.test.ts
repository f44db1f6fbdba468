// The rule pack (lib/synth/rules.ts): each rule on the resolved JSON, suppressions with reasons, and the
// synth report lines. Pure rows for the rules; one synth for enforcement through InfraStack.
import { describe, expect, it } from 'vitest';
import { Deployment } from '@cdktf/provider-kubernetes/lib/deployment';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import {
  checkAcrossStacks,
  checkResources,
  namedObjects,
  suppressRule,
  type Finding,
} from '../../../lib/synth/rules';
import { buildApp } from '../../../lib/synth/app';
import { defineStack } from '../../../lib/synth/stack';
import { tempDir } from '../../support/fakes';
import { suppressionLines } from '../../../lib/synth/synth-report';
import { named } from '../../../lib/terraform/addresses';
import { keelEnrolledWorkload } from '../../../lib/conventions/lifecycle';
import { STACKS } from '../../../stacks';
import { expectConfigError, registeredSuppressions, synth, testStack } from '../../support/synth';

const KEEL = keelEnrolledWorkload([0]);
const deployment = (
  over: {
    image?: string;
    ignore?: string[];
    tpl?: Record<string, string>;
    ns?: string;
    tier?: string;
    env?: unknown[];
  } = {},
) => ({
  metadata: { name: 'web', namespace: over.ns ?? 'web', labels: over.tier ? { tier: over.tier } : undefined },
  spec: {
    selector: { match_labels: { app: 'web' } },
    template: {
      metadata: { labels: over.tpl ?? { app: 'web' } },
      spec: { container: [{ name: 'web', image: over.image ?? 'nginx:1.28', env: over.env }] },
    },
  },
  lifecycle: { ignore_changes: over.ignore ?? KEEL },
});
const rules = (found: Finding[]) => found.map((f) => `${f.rule} ${f.address} ${f.attribute}`);

describe('rules on resolved resources', () => {
  it('a convention-following workload has no findings', () => {
    expect(checkResources({ kubernetes_deployment: { web: deployment() } })).toEqual([]);
  });
  it('images-pinned: latest and untagged, in containers and init containers; Keel force is the pin', () => {
    expect(
      rules(checkResources({ kubernetes_deployment: { web: deployment({ image: 'nginx:latest' }) } })),
    ).toEqual(['images-pinned kubernetes_deployment.web spec.template.spec.container[0].image']);
    expect(
      rules(checkResources({ kubernetes_deployment: { web: deployment({ image: 'nginx' }) } })),
    ).toHaveLength(1);
    const forced = {
      ...deployment({ image: 'x/y:latest' }),
      metadata: { name: 'web', annotations: { 'keel.sh/policy': 'force' } },
    };
    expect(checkResources({ kubernetes_deployment: { web: forced } })).toEqual([]);
  });
  it('no-credential-literals: by shape anywhere, by name in env and ConfigMap data; references and Secrets pass', () => {
    const pat = `ghp_${'Zz9'.repeat(10)}`;
    const found = checkResources({
      kubernetes_deployment: {
        web: deployment({
          env: [
            { name: 'GITHUB_PAT', value: 'abc' },
            { name: 'X', value: pat },
            { name: 'TOKEN', value: '${data.vault_kv_secret_v2.v.data["t"]}' },
          ],
        }),
      },
      kubernetes_config_map: {
        cfg: { metadata: { name: 'c' }, data: { 'db.password': 'hunter2', note: 'fine' } },
      },
      kubernetes_manifest: {
        es: { manifest: { spec: { target: { template: { data: { password: '{{ .password }}' } } } } } },
      },
      kubernetes_secret: { s: { metadata: { name: 's' }, data: { password: 'from-vault' } } },
    });
    expect(rules(found)).toEqual([
      'no-credential-literals kubernetes_deployment.web spec.template.spec.container[0].env[0].value',
      'no-credential-literals kubernetes_deployment.web spec.template.spec.container[0].env[1].value',
      'no-credential-literals kubernetes_config_map.cfg data.db.password',
    ]);
    expect(JSON.stringify(found)).not.toContain(pat);
    expect(JSON.stringify(found)).not.toContain('hunter2');
  });
  it('lifecycle-ignores: Kyverno dns_config always; Keel annotations unless never or not enrolled', () => {
    expect(rules(checkResources({ kubernetes_deployment: { web: deployment({ ignore: [] }) } }))).toEqual([
      'lifecycle-ignores kubernetes_deployment.web lifecycle.ignore_changes',
      'lifecycle-ignores kubernetes_deployment.web lifecycle.ignore_changes',
    ]);
    const dnsOnly = deployment({ ignore: ['spec[0].template[0].spec[0].dns_config'] });
    const ns = (enrolled: boolean) => ({
      metadata: { name: 'web', labels: enrolled ? { 'keel.sh/enrolled': 'true' } : {} },
    });
    expect(
      checkResources({ kubernetes_namespace: { web: ns(false) }, kubernetes_deployment: { web: dnsOnly } }),
    ).toEqual([]);
    expect(
      rules(
        checkResources({ kubernetes_namespace: { web: ns(true) }, kubernetes_deployment: { web: dnsOnly } }),
      ),
    ).toHaveLength(1);
  });
  it('unique-objects, selector-in-template, tier-consistent', () => {
    const svc = { metadata: { name: 'web', namespace: 'web' } };
    expect(rules(checkResources({ kubernetes_service: { a: svc, b: svc } }))).toEqual([
      'unique-objects kubernetes_service.b metadata.name',
    ]);
    expect(
      rules(checkResources({ kubernetes_deployment: { web: deployment({ tpl: { app: 'other' } }) } })),
    ).toEqual(['selector-in-template kubernetes_deployment.web spec.template.metadata.labels']);
    const found = checkResources({
      kubernetes_namespace: { edge: { metadata: { name: 'web', labels: { tier: '3-edge' } } } },
      kubernetes_deployment: {
        web: deployment({ ns: '${kubernetes_namespace.edge.metadata[0].name}', tier: '0-core' }),
      },
    });
    expect(rules(found)).toEqual(['tier-consistent kubernetes_deployment.web metadata.labels.tier']);
    expect(found[0].allowed).toContain('"3-edge"');
  });
});

describe('enforcement through InfraStack', () => {
  it('a finding fails synth with a ConfigError naming the construct; a suppression with a reason lets it through', () => {
    const s = testStack('r');
    const d = named(s, Deployment, 'web', {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { container: [{ name: 'w', image: 'w:latest' }] },
        },
      },
      lifecycle: { ignoreChanges: KEEL },
    });
    const err = expectConfigError(() => synth(s));
    expect(err.constructPath).toBe('r/web');
    expect(err.message).toContain(
      "[rule images-pinned; suppressRule(scope, 'images-pinned', reason) for tree parity]",
    );
    suppressRule(d, 'images-pinned', 'tree parity: the tree runs w:latest');
    expect(() => synth(s)).not.toThrow();
    expect(s.suppressions).toEqual([
      expect.objectContaining({
        rule: 'images-pinned',
        address: 'kubernetes_deployment.web',
        reason: 'tree parity: the tree runs w:latest',
      }),
    ]);
    expect(suppressionLines('r', s.suppressions)).toEqual([
      'suppressed r  images-pinned  kubernetes_deployment.web: tree parity: the tree runs w:latest',
    ]);
  });
  it('a suppression needs a known rule and a reason', () => {
    const s = testStack('r');
    expect(expectConfigError(() => suppressRule(s, 'images' as never, 'because of reasons')).prop).toBe(
      'rule',
    );
    expect(expectConfigError(() => suppressRule(s, 'images-pinned', 'ok')).message).toContain(
      'a reason of at least 10 characters',
    );
  });
  it("the registry's exceptions are tree parity, each with its reason (blog's :latest, tts' gate, ebooks' unignored poller)", () => {
    const found: string[] = [];
    // the cached synth of the stack tests (one per worker), suppressions included
    for (const def of STACKS) found.push(...suppressionLines(def.name, registeredSuppressions(def)));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^suppressed blog  images-pinned  kubernetes_deployment\.blog: tree parity/),
        expect.stringMatching(/^suppressed tts  images-pinned  kubernetes_cron_job_v1\.offpeak: tree parity/),
      ]),
    );
    // One credential-shaped literal is the tree's own public placeholder; any other is a finding.
    const credentialLiterals = found.filter((l) => l.includes('  no-credential-literals  '));
    expect(credentialLiterals).toEqual([
      expect.stringMatching(
        /^suppressed frigate  no-credential-literals  kubernetes_deployment\.frigate: tree parity: .*"password"/,
      ),
    ]);
    for (const line of found.filter((l) => !credentialLiterals.includes(l)))
      expect(line).toMatch(/^suppressed \S+  (images-pinned|lifecycle-ignores)  \S+: tree parity: \S/);
  });
});

describe('unique-objects across the stacks of one app', () => {
  const svc = (ns: unknown) => ({ metadata: { name: 'web', namespace: ns }, spec: {} });
  it('namedObjects resolves namespace references to the namespace name', () => {
    expect(
      namedObjects({
        kubernetes_namespace: { shared: { metadata: { name: 'shared' } } },
        kubernetes_service: { web: svc('${kubernetes_namespace.shared.metadata[0].name}') },
        kubernetes_ingress_v1: { web: svc('other') },
      }),
    ).toEqual([
      { key: 'Service shared/web', address: 'kubernetes_service.web' },
      { key: 'Ingress other/web', address: 'kubernetes_ingress_v1.web' },
    ]);
  });

  it('a second stack declaring the same Service in the same namespace is a finding naming the first', () => {
    const seen = new Map<string, { stack: string; address: string }>();
    const objects = [{ key: 'Service shared/web', address: 'kubernetes_service.web' }];
    expect(checkAcrossStacks('a', objects, seen)).toEqual([]);
    expect(checkAcrossStacks('a', objects, seen)).toEqual([]); // re-rendering a stack finds nothing
    const [f] = checkAcrossStacks(
      'b',
      [{ key: 'Service shared/web', address: 'kubernetes_service.site' }],
      seen,
    );
    expect(f).toMatchObject({ rule: 'unique-objects', address: 'kubernetes_service.site', value: 'web' });
    expect(f.allowed).toContain('stack a: kubernetes_service.web has it');
    expect(
      checkAcrossStacks('b', [{ key: 'Service other/web', address: 'kubernetes_service.x' }], seen),
    ).toEqual([]);
  });

  it('synth of an app whose two stacks declare one Ingress fails with a ConfigError naming both', () => {
    const def = (name: string) =>
      defineStack({
        name,
        description: 'test',
        build(stack) {
          new IngressV1(stack, 'web', {
            metadata: { name: 'web', namespace: 'shared' },
            spec: { rule: [{ host: 'web.example.org' }] },
          });
        },
      });
    const out = tempDir('unique-objects-');
    try {
      const { app } = buildApp([def('dup-a'), def('dup-b')], { outdir: out.dir });
      expect(() => app.synth()).toThrow(
        /dup-b.*metadata\.name.*stack dup-a: kubernetes_ingress_v1\.web has it/s,
      );
    } finally {
      out.cleanup();
    }
  });
});
