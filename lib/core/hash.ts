import { createHash } from 'node:crypto';

/** Hex SHA-256, the same value Terraform's `sha256()` gives for a string (checksum annotations). */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
