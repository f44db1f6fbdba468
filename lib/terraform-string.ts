// Terraform reads every string of the synthesized JSON as a template: `${...}` interpolates and `%{...}` is
// a directive. Text that must arrive verbatim (shell scripts, Go templates, cloud-init) is escaped here.

/** Escapes `${` and `%{` so Terraform yields exactly `text` (`$${` and `%%{` are its escapes). */
export function terraformLiteral(text: string): string {
  // Replacer functions: in a replacement *string*, "$$" would itself mean one "$".
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** The inverse of `terraformLiteral`: what Terraform makes of an escaped string without references. */
export function terraformUnescape(text: string): string {
  return text.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}
