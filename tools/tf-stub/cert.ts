// A fresh self-signed TLS certificate for go-plugin's AutoMTLS, hand-rolled in DER (Node has no X.509
// builder). Mirrors go-plugin's generateCert: ECDSA P-256, CN and SAN DNS "localhost", organization
// "HashiCorp", IsCA, key usage digitalSignature|keyEncipherment|keyAgreement|certSign, extended key
// usage serverAuth+clientAuth, valid from 30 s ago for 262980 h.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);
const set = (...c: Buffer[]): Buffer => tlv(0x31, ...c);

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const b: number[] = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) b.unshift(0x80 | (v & 0x7f));
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
}

function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && b[1]! < 0x80) b = b.subarray(1);
  if (b[0]! >= 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(
    d.getUTCFullYear() >= 2050 ? 0x18 : 0x17,
    Buffer.from(d.getUTCFullYear() >= 2050 ? `${d.getUTCFullYear()}${s.slice(2)}` : s),
  );
}

const bitString = (b: Buffer): Buffer => tlv(0x03, Buffer.from([0]), b);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const TRUE = tlv(0x01, Buffer.from([0xff]));

function name(): Buffer {
  return seq(
    set(seq(oid('2.5.4.10'), tlv(0x0c, Buffer.from('HashiCorp')))),
    set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('localhost')))),
  );
}

export interface SelfSignedCert {
  /** DER of the certificate (what the handshake line carries, base64). */
  der: Buffer;
  certPem: string;
  keyPem: string;
}

export function selfSignedCert(now = new Date()): SelfSignedCert {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  // key usage bits: digitalSignature(0) keyEncipherment(2) keyAgreement(4) keyCertSign(5) = 0b10101100
  const keyUsage = tlv(0x03, Buffer.from([2, 0xac]));
  const extensions = seq(
    seq(oid('2.5.29.15'), TRUE, octets(keyUsage)),
    seq(oid('2.5.29.37'), octets(seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2')))),
    seq(oid('2.5.29.19'), TRUE, octets(seq(TRUE))),
    seq(oid('2.5.29.17'), octets(seq(tlv(0x82, Buffer.from('localhost'))))),
  );
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(randomBytes(16)),
    ecdsaSha256,
    name(),
    seq(utcTime(new Date(now.getTime() - 30_000)), utcTime(new Date(now.getTime() + 262980 * 3600_000))),
    name(),
    spki,
    tlv(0xa3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, ecdsaSha256, bitString(signature));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    der,
    certPem: `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`,
    keyPem: createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })).export({
      type: 'pkcs8',
      format: 'pem',
    }) as string,
  };
}
