// Terraform reads every string of cdk.tf.json as a template: `${...}` interpolates and `%{...}` is a
// directive. A script or config file rendered into an attribute (a container command, a ConfigMap value)
// must reach the resource verbatim, so its template openers are escaped (`$${` and `%%{` are Terraform's
// escapes for a literal `${` and `%{`). cdktf does not do this for plain strings.
import { Token } from 'cdktf';

/**
 * `text` escaped so that Terraform evaluates it to exactly `text`. Throws on a cdktf token: a reference
 * inside the text would be escaped into a literal too.
 */
export function terraformLiteral(text: string): string {
  if (typeof text !== 'string') throw new Error(`terraformLiteral: expected a string, got ${typeof text}`);
  if (Token.isUnresolved(text)) {
    throw new Error(
      'terraformLiteral: the text contains a cdktf token (a reference); only literal text can be escaped',
    );
  }
  // Replacer functions: in a replacement string `$$` would itself mean one `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** The inverse of `terraformLiteral`: what Terraform makes of an escaped literal (no interpolation). */
export function terraformUnescape(escaped: string): string {
  return escaped.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}
