// phpIPAM: IP address management behind Authentik on the shared MySQL. Three CronJobs keep it current:
// a two-way hostname sync with Technitium DNS, and hourly imports of the DHCP leases of pfSense and of
// the remote sites over SSH. Their programs are the tree owner's heredocs, read at plan time; the
// Technitium admin password is read from Vault at plan time as the tree does. Tree: stacks/phpipam.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { CronJob, Deployment, Volume, type ContainerProps } from '../constructs/blocks/workload';
import { reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { vaultKvSecret } from '../lib/terraform/providers';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';

const DB_SECRET = 'phpipam-secrets';
const SSH_SECRET = 'phpipam-pfsense-ssh';

export default defineStack({
  name: 'phpipam',
  description: 'phpIPAM address management behind Authentik, synced with DNS, pfSense and remote sites',
  after: ['platform'],
  build(stack) {
    const site = siteOf(stack);
    const ns = new TieredNamespace(stack, 'phpipam', { tier: Tier.AUX, istioInjectionDisabled: false });
    const literalNs = ns.byLiteralName;
    new ExternalSecret(stack, 'external_secret', {
      name: DB_SECRET,
      namespace: literalNs,
      storeName: 'vault-database',
      refreshInterval: '15m',
      data: [
        { secretKey: 'db_password', vault: { path: 'static-creds/mysql-phpipam', property: 'password' } },
      ],
      dependsOn: [ns.resource],
    });
    new ExternalSecret(stack, 'external_secret_pfsense_ssh', {
      name: SSH_SECRET,
      namespace: literalNs,
      data: [{ secretKey: 'ssh_key', vault: { path: 'viktor', property: 'phpipam_pfsense_ssh_key' } }],
      dependsOn: [ns.resource],
    });
    new ExternalSecret(stack, 'external_secret_admin', {
      name: 'phpipam-admin-password',
      namespace: literalNs,
      data: [{ secretKey: 'password', vault: { path: 'viktor', property: 'phpipam_admin_password' } }],
      dependsOn: [ns.resource],
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });

    const dbPass = { secretName: DB_SECRET, key: 'db_password' };
    const web = new Deployment(stack, 'phpipam_web', {
      namespace: ns,
      name: 'phpipam-web',
      selector: { app: 'phpipam' },
      annotations: reloader('auto'),
      strategy: 'Recreate',
      podAnnotations: { 'diun.enable': 'true', 'dependency.kyverno.io/wait-for': 'mysql.dbaas:3306' },
      containers: [
        {
          name: 'phpipam-web',
          image: 'phpipam/phpipam-www:v1.7.4',
          ports: [80],
          env: {
            TZ: 'Europe/Sofia',
            IPAM_DATABASE_HOST: site.mysqlHost,
            IPAM_DATABASE_USER: 'phpipam',
            IPAM_DATABASE_PASS: dbPass,
            IPAM_DATABASE_NAME: 'phpipam',
            IPAM_TRUST_X_FORWARDED: 'true',
          },
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(64),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'phpipam',
      namespace: ns,
      service: web.exposeViaService({
        name: 'phpipam',
        addressName: 'phpipam',
        ports: [{ name: 'http', port: 80, targetPort: 80 }],
      }),
      auth: IngressAuth.REQUIRED,
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/name': 'phpIPAM',
        'gethomepage.dev/description': 'IP Address Management',
        'gethomepage.dev/icon': 'phpipam.png',
        'gethomepage.dev/group': 'Infrastructure',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });

    // The three sync jobs share the database env; the imports also read the SSH key.
    const dbEnv = { DB_HOST: site.mysqlHost, DB_USER: 'phpipam', DB_PASS: dbPass, DB_NAME: 'phpipam' };
    const sshKey = Volume.fromSecret('ssh-key', SSH_SECRET, { defaultMode: '0400' });
    const syncJob = (
      id: string,
      name: string,
      schedule: string,
      index: number,
      container: Omit<ContainerProps, 'command'> & { shell: string },
      opts: { activeDeadline?: Duration; volumes?: Volume[] } = {},
    ) => {
      const program = treeHeredoc(stack, 'command', { index });
      const { shell, ...rest } = container;
      const job = new CronJob(stack, id, {
        namespace: ns,
        name,
        schedule,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        backoffLimit: 1,
        activeDeadline: opts.activeDeadline,
        restartPolicy: 'Never',
        containers: [{ ...rest, command: [shell, '-c', program.content] }],
        volumes: opts.volumes,
      });
      program.guard(job);
      return job;
    };
    const technitium = vaultKvSecret(stack, 'secrets', 'platform').data.lookup('technitium_password');
    syncJob('phpipam_dns_sync', 'phpipam-dns-sync', '*/15 * * * *', 0, {
      name: 'sync',
      image: 'mysql:8.0',
      shell: '/bin/bash',
      env: { TECH_PASS: technitium, ...dbEnv },
      resources: { cpuRequest: '10m', memoryRequest: Size.mebibytes(32), memoryLimit: Size.mebibytes(128) },
    });
    const importer = {
      name: 'import',
      image: 'alpine:3.21',
      shell: '/bin/sh',
      env: dbEnv,
      volumeMounts: [{ volume: sshKey, mountPath: '/ssh', readOnly: true }],
      resources: { cpuRequest: '10m', memoryRequest: Size.mebibytes(64), memoryLimit: Size.mebibytes(128) },
    };
    syncJob('phpipam_pfsense_import', 'phpipam-pfsense-import', '0 * * * *', 1, importer, {
      activeDeadline: Duration.seconds(600),
      volumes: [sshKey],
    });
    syncJob('phpipam_remote_import', 'phpipam-remote-import', '0 * * * *', 2, importer, {
      volumes: [sshKey],
    });
  },
});
