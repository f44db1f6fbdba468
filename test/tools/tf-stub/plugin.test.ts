// The plugin process itself: go-plugin handshake line, AutoMTLS (mutual TLS with Terraform's client
// certificate), refusal without the magic cookie.
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../../tools/tf-stub/plugin';
import { selfSignedCert } from '../../../tools/tf-stub/cert';
import { ensureSchemaFile, stubProvider } from '../../../tools/tf-stub/providers';
import { distCli, run } from '../../support/fakes';

describe('stub provider plugin process', () => {
  it('refuses to run without the magic cookie', async () => {
    const r = await run([process.execPath, distCli('tf-stub-plugin'), 'kubectl']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('started by Terraform, not run directly');
  });

  it('prints one handshake line and serves mutual TLS with the advertised certificate', async () => {
    const client = selfSignedCert();
    const child = spawn(process.execPath, [distCli('tf-stub-plugin'), 'kubectl'], {
      env: {
        PATH: process.env.PATH,
        [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
        PLUGIN_PROTOCOL_VERSIONS: '5,6',
        PLUGIN_MIN_PORT: '20000',
        PLUGIN_MAX_PORT: '29999',
        PLUGIN_CLIENT_CERT: client.certPem,
        TF_STUB_SCHEMA: ensureSchemaFile(stubProvider('kubectl')),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const t0 = performance.now();
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out);
        });
        child.on('exit', (code) => reject(new Error(`plugin exited ${code}`)));
      });
      const startup = performance.now() - t0;
      const m = /^1\|6\|tcp\|127\.0\.0\.1:(\d+)\|grpc\|([A-Za-z0-9+/]+)\n$/.exec(line);
      expect(m, line).not.toBeNull();
      const port = Number(m![1]);
      expect(port).toBeGreaterThanOrEqual(20000);
      expect(port).toBeLessThanOrEqual(29999);
      const advertised = new X509Certificate(Buffer.from(m![2]!, 'base64'));
      expect(advertised.subjectAltName).toBe('DNS:localhost');
      // Terraform's side: trust only the advertised cert, present the client cert
      const served = await new Promise<X509Certificate>((resolve, reject) => {
        const s = tls.connect(
          {
            host: '127.0.0.1',
            port,
            servername: 'localhost',
            ca: advertised.toString(),
            cert: client.certPem,
            key: client.keyPem,
            ALPNProtocols: ['h2'],
          },
          () => {
            resolve(new X509Certificate(s.getPeerX509Certificate()!.raw));
            s.end();
          },
        );
        s.on('error', reject);
      });
      expect(served.fingerprint256).toBe(advertised.fingerprint256);
      // without a client certificate the server refuses the connection
      const refused = await new Promise<boolean>((resolve) => {
        const s = tls.connect(
          {
            host: '127.0.0.1',
            port,
            servername: 'localhost',
            ca: advertised.toString(),
            ALPNProtocols: ['h2'],
          },
          () => {
            s.on('data', () => undefined);
            s.on('close', () => resolve(true));
            s.on('error', () => resolve(true));
          },
        );
        s.on('error', () => resolve(true));
        setTimeout(() => resolve(false), 5000);
      });
      expect(refused).toBe(true);
      expect(startup).toBeLessThan(5000); // typically 0.3 s; generous for a loaded CI machine
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);
});
