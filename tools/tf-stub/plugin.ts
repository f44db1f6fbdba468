// The stub provider process Terraform starts (bundled to dist/tf-stub-plugin.js; the mirror's launcher
// runs `node dist/tf-stub-plugin.js <provider>` with TF_STUB_SCHEMA=<schema json>). Speaks plugin
// protocol 6 over gRPC with go-plugin's handshake and AutoMTLS:
//   - refuses to run without TF_PLUGIN_MAGIC_COOKIE (not meant to be run by hand);
//   - serves TLS on 127.0.0.1 with a fresh self-signed cert (cert.ts), requiring Terraform's client
//     cert (PLUGIN_CLIENT_CERT) and verifying against it;
//   - prints `1|6|tcp|127.0.0.1:<port>|grpc|<cert DER, base64 without padding>` (go-plugin decodes with
//     RawStdEncoding) and nothing else on stdout;
//   - plugin.GRPCController/Shutdown exits; grpc.health.v1 answers SERVING; stdio/broker: unimplemented.
// Behaviour (behaviour.ts): plan = proposed state (computed attributes of new objects unknown), apply
// fills unknowns deterministically, reads echo, data sources return config with computed values filled.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { decodeValue, encodeValue, type Value } from './codec';
import { fillUnknown, markComputedUnknown, pruneState, readData } from './behaviour';
import { selfSignedCert } from './cert';
import {
  blockType,
  type CtyType,
  type StubAttribute,
  type StubBlock,
  type StubProviderSchema,
  type StubSchema,
} from './schema';

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

type Dyn = { msgpack?: Buffer; json?: Buffer } | null | undefined;
type RawState = { json?: Buffer; flatmap?: Record<string, string> } | null | undefined;
type Call<T> = grpc.ServerUnaryCall<T, unknown>;
type Reply = grpc.sendUnaryData<unknown>;

function protoDir(): string {
  for (const d of [path.join(__dirname, 'proto'), path.join(__dirname, '..', 'tools', 'tf-stub', 'proto')]) {
    if (fs.existsSync(path.join(d, 'tfplugin6.proto'))) return d;
  }
  throw new Error(`tf-stub: proto files not found near ${__dirname}`);
}

const NESTING = { single: 'SINGLE', list: 'LIST', set: 'SET', map: 'MAP', group: 'GROUP' } as const;

function protoAttr(name: string, a: StubAttribute): object {
  return {
    name,
    type: a.type !== undefined ? Buffer.from(JSON.stringify(a.type)) : Buffer.alloc(0),
    nested_type: a.nested_type
      ? {
          attributes: Object.entries(a.nested_type.attributes).map(([n, x]) => protoAttr(n, x)),
          nesting: NESTING[a.nested_type.nesting_mode],
        }
      : undefined,
    required: !!a.required,
    optional: !!a.optional,
    computed: !!a.computed,
    sensitive: !!a.sensitive,
  };
}

function protoBlock(b: StubBlock): object {
  return {
    attributes: Object.entries(b.attributes ?? {}).map(([n, a]) => protoAttr(n, a)),
    block_types: Object.entries(b.block_types ?? {}).map(([n, bt]) => ({
      type_name: n,
      block: protoBlock(bt.block),
      nesting: NESTING[bt.nesting_mode],
      min_items: bt.min_items ?? 0,
      max_items: bt.max_items ?? 0,
    })),
  };
}

const protoSchema = (s: StubSchema): object => ({ version: s.version, block: protoBlock(s.block) });

export class StubProvider {
  private readonly types = new Map<string, CtyType>();
  private readonly dataKeys: Record<string, string[]>;
  private loaded: StubProviderSchema | undefined;

  /** `schema` may be a loader: the plugin parses its schema only when a call needs it. */
  constructor(
    readonly name: string,
    private readonly source: StubProviderSchema | (() => StubProviderSchema),
    dataKeys: Record<string, string[]> = {},
  ) {
    this.dataKeys = dataKeys;
  }

  get schema(): StubProviderSchema {
    return (this.loaded ??= typeof this.source === 'function' ? this.source() : this.source);
  }

  private typeOf(kind: 'resource' | 'data', typeName: string): { schema: StubSchema; type: CtyType } {
    const schema = (kind === 'resource' ? this.schema.resource_schemas : this.schema.data_source_schemas)[
      typeName
    ];
    if (!schema) throw new Error(`${this.name}: no ${kind} type ${typeName}`);
    const key = `${kind}.${typeName}`;
    let type = this.types.get(key);
    if (!type) this.types.set(key, (type = blockType(schema.block)));
    return { schema, type };
  }

  private decode(d: Dyn, type: CtyType): Value {
    if (d?.msgpack && d.msgpack.length > 0) return decodeValue(d.msgpack, type);
    if (d?.json && d.json.length > 0) throw new Error('json DynamicValue where msgpack was expected');
    return null;
  }

  getProviderSchema(): object {
    return {
      provider: protoSchema(this.schema.provider),
      resource_schemas: Object.fromEntries(
        Object.entries(this.schema.resource_schemas).map(([k, s]) => [k, protoSchema(s)]),
      ),
      data_source_schemas: Object.fromEntries(
        Object.entries(this.schema.data_source_schemas).map(([k, s]) => [k, protoSchema(s)]),
      ),
      diagnostics: [],
      // Terraform may reuse the schema it fetched from an earlier instance of this provider
      server_capabilities: {
        plan_destroy: false,
        get_provider_schema_optional: true,
        move_resource_state: false,
      },
    };
  }

  plan(typeName: string, prior: Dyn, proposed: Dyn): object {
    const { schema, type } = this.typeOf('resource', typeName);
    const p = this.decode(proposed, type);
    if (p === null) return { planned_state: { msgpack: encodeValue(null, type) }, requires_replace: [] };
    const priorV = this.decode(prior, type);
    const planned = priorV === null ? markComputedUnknown(p, schema.block) : p;
    return { planned_state: { msgpack: encodeValue(planned, type) }, requires_replace: [] };
  }

  apply(typeName: string, planned: Dyn): object {
    const { type } = this.typeOf('resource', typeName);
    const v = this.decode(planned, type);
    return { new_state: { msgpack: encodeValue(v === null ? null : fillUnknown(v, type, typeName), type) } };
  }

  readDataSource(typeName: string, config: Dyn): object {
    const { schema, type } = this.typeOf('data', typeName);
    const v = readData(typeName, this.decode(config, type), schema.block, this.dataKeys);
    return { state: { msgpack: encodeValue(v, type) } };
  }

  /** Echoes the stored JSON state, less attributes the schema lacks (pruneState). */
  upgradeState(typeName: string, raw: RawState): object {
    const { schema } = this.typeOf('resource', typeName);
    if (!raw?.json || raw.json.length === 0) {
      if (raw?.flatmap && Object.keys(raw.flatmap).length)
        throw new Error(`${typeName}: legacy flatmap state is not supported`);
      return { upgraded_state: { json: Buffer.from('null') } };
    }
    const pruned = pruneState(JSON.parse(raw.json.toString('utf8')), schema.block);
    return { upgraded_state: { json: Buffer.from(JSON.stringify(pruned)) } };
  }

  importState(typeName: string, id: string): object {
    const { schema, type } = this.typeOf('resource', typeName);
    const v: Record<string, Value> = {};
    if (schema.block.attributes?.['id']) v['id'] = id;
    return { imported_resources: [{ type_name: typeName, state: { msgpack: encodeValue(v, type) } }] };
  }
}

function unary<T>(fn: (req: T) => object): (call: Call<T>, cb: Reply) => void {
  return (call, cb) => {
    try {
      cb(null, fn(call.request));
    } catch (e) {
      cb(null, {
        diagnostics: [
          { severity: 'ERROR', summary: 'tf-stub provider error', detail: String((e as Error).stack ?? e) },
        ],
      });
    }
  };
}

function loadDataKeys(): Record<string, string[]> {
  const file = process.env['TF_STUB_DATA_KEYS'];
  if (!file) return {};
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>;
}

const debug = process.env['TF_STUB_DEBUG']
  ? (m: string) => process.stderr.write(`tf-stub: ${performance.now().toFixed(0)} ms ${m}\n`)
  : () => {};

/**
 * Serves `provider` until Terraform shuts it down. `schemaCache`: file holding the protobuf-encoded
 * GetProviderSchema response (written on first use; the kubernetes one takes ~1 s to build and encode,
 * and Terraform asks every new plugin process).
 */
export async function serve(provider: StubProvider, schemaCache?: string): Promise<void> {
  debug('serve');
  const dir = protoDir();
  const opts = { keepCase: true, longs: Number, enums: String, defaults: false, oneofs: true };
  const pkg = grpc.loadPackageDefinition(
    protoLoader.loadSync(['tfplugin6.proto', 'plugin.proto', 'health.proto'], {
      ...opts,
      includeDirs: [dir],
    }),
  ) as unknown as {
    tfplugin6: { Provider: grpc.ServiceClientConstructor };
    plugin: { GRPCController: grpc.ServiceClientConstructor };
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
  };

  debug('protos loaded');
  const clientCert = process.env['PLUGIN_CLIENT_CERT'];
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 256 << 20,
    'grpc.max_send_message_length': 256 << 20,
  });
  const none = () => ({ diagnostics: [] });
  type R = Record<string, unknown>;
  const service = { ...pkg.tfplugin6.Provider.service };
  const getSchema = service['GetProviderSchema']!;
  const serialize = getSchema.responseSerialize;
  service['GetProviderSchema'] = {
    ...getSchema,
    responseSerialize: (v: unknown) => (Buffer.isBuffer(v) ? v : serialize(v)),
  };
  const encodedSchema = (): Buffer => {
    if (schemaCache && fs.existsSync(schemaCache)) return fs.readFileSync(schemaCache);
    const bytes = serialize(provider.getProviderSchema());
    if (schemaCache) {
      const tmp = `${schemaCache}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, bytes);
      fs.renameSync(tmp, schemaCache);
    }
    return bytes;
  };
  server.addService(service, {
    GetMetadata: unary(() => ({
      server_capabilities: {},
      resources: Object.keys(provider.schema.resource_schemas).map((t) => ({ type_name: t })),
      data_sources: Object.keys(provider.schema.data_source_schemas).map((t) => ({ type_name: t })),
    })),
    GetProviderSchema: (_call: unknown, cb: Reply) => {
      try {
        cb(null, encodedSchema());
      } catch (e) {
        cb({ code: grpc.status.INTERNAL, details: String(e) });
      }
    },
    ValidateProviderConfig: unary(none),
    ValidateResourceConfig: unary(none),
    ValidateDataResourceConfig: unary(none),
    UpgradeResourceState: unary((r: R) => ({
      upgraded_state: {
        json: (r['raw_state'] as { json?: Buffer } | undefined)?.json ?? Buffer.from('null'),
      },
    })),
    ConfigureProvider: unary(none),
    ReadResource: unary((r: R) => ({ new_state: r['current_state'], private: r['private'] })),
    PlanResourceChange: unary((r: R) => ({
      ...provider.plan(r['type_name'] as string, r['prior_state'] as Dyn, r['proposed_new_state'] as Dyn),
      planned_private: r['prior_private'],
    })),
    ApplyResourceChange: unary((r: R) => ({
      ...provider.apply(r['type_name'] as string, r['planned_state'] as Dyn),
      private: r['planned_private'],
    })),
    ImportResourceState: unary((r: R) => provider.importState(r['type_name'] as string, r['id'] as string)),
    ReadDataSource: unary((r: R) => provider.readDataSource(r['type_name'] as string, r['config'] as Dyn)),
    GetFunctions: unary(none),
    StopProvider: unary(() => ({})),
  });
  server.addService(pkg.plugin.GRPCController.service, {
    Shutdown: (_call: unknown, cb: Reply) => {
      cb(null, {});
      setTimeout(() => process.exit(0), 10);
    },
  });
  server.addService(pkg.grpc.health.v1.Health.service, {
    Check: (_call: unknown, cb: Reply) => cb(null, { status: 'SERVING' }),
  });

  const cert = selfSignedCert();
  const creds = clientCert
    ? grpc.ServerCredentials.createSsl(
        Buffer.from(clientCert),
        [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }],
        true,
      )
    : grpc.ServerCredentials.createInsecure();

  const min = Number(process.env['PLUGIN_MIN_PORT'] ?? 0);
  const max = Number(process.env['PLUGIN_MAX_PORT'] ?? 0);
  const port = await bind(server, creds, min, max);
  debug('bound');
  const certField = clientCert ? cert.der.toString('base64').replace(/=+$/, '') : '';
  process.stdout.write(`1|6|tcp|127.0.0.1:${port}|grpc|${certField}\n`);
}

async function bind(
  server: grpc.Server,
  creds: grpc.ServerCredentials,
  min: number,
  max: number,
): Promise<number> {
  const tryPort = (p: number) =>
    new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${p}`, creds, (err, port) => (err ? reject(err) : resolve(port))),
    );
  if (!(min > 0 && max >= min)) return tryPort(0);
  const span = max - min + 1;
  const start = Math.floor(Math.random() * span);
  let last: unknown;
  for (let i = 0; i < Math.min(span, 50); i++) {
    try {
      return await tryPort(min + ((start + i) % span));
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`tf-stub: no free port in ${min}-${max}: ${String(last)}`);
}

function main(): void {
  const name = process.argv[2];
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write(
      'This is a stub Terraform provider plugin (tools/tf-stub): it is started by Terraform, not run directly.\n',
    );
    process.exit(1);
  }
  const versions = (process.env['PLUGIN_PROTOCOL_VERSIONS'] ?? '6').split(',').map((s) => s.trim());
  if (!versions.includes('6')) {
    process.stderr.write(
      `tf-stub: Terraform offers plugin protocol ${versions.join(',')}; the stubs speak 6 only\n`,
    );
    process.exit(1);
  }
  const schemaFile = process.env['TF_STUB_SCHEMA'];
  if (!name || !schemaFile) {
    process.stderr.write('tf-stub: usage: TF_STUB_SCHEMA=<schema.json> tf-stub-plugin <provider>\n');
    process.exit(1);
  }
  process.on('SIGINT', () => {}); // Terraform forwards Ctrl-C; it stops plugins itself
  const load = () => JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as StubProviderSchema;
  serve(new StubProvider(name, load, loadDataKeys()), `${schemaFile}.pb`).catch((e: unknown) => {
    process.stderr.write(`tf-stub: ${String((e as Error).stack ?? e)}\n`);
    process.exit(1);
  });
}

if (require.main === module) main();
