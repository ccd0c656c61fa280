/** What replaces a secret in a message. */
const REDACTED = '[redacted]';

/**
 * Every form in which `secret` may reach a message: as it is, JSON-escaped, URL-encoded (`encodeURIComponent`)
 * and form-encoded (`application/x-www-form-urlencoded`, space as `+`), the percent escapes in upper and in
 * lower case. A server that echoes the form it received, or a library that quotes the URL it was given, then
 * still leaks nothing.
 *
 * @param secret - a token, a client secret or a refresh token.
 */
function formsOf(secret: string): string[] {
  const urlEncoded = encodeURIComponent(secret);
  const formEncoded = new URLSearchParams({ s: secret }).toString().slice(2);
  const forms = [secret, JSON.stringify(secret).slice(1, -1), urlEncoded, formEncoded];
  for (const encoded of [urlEncoded, formEncoded]) {
    forms.push(encoded.replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase()));
  }
  return forms;
}

/**
 * Replaces every form of every secret in `text` with `[redacted]` (see {@link formsOf}); longer forms first, so
 * a secret that contains another is never half removed.
 *
 * @param text - a message about to leave: an error, a failure answer, a log line.
 * @param secrets - the secrets it must not carry; empty strings are ignored.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret === 'string' && secret.length > 0) for (const form of formsOf(secret)) forms.add(form);
  }
  let safe = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (safe.includes(form)) safe = safe.split(form).join(REDACTED);
  }
  return safe;
}
