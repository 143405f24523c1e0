// The buyer-facing page of a fake payment provider (PayPal's approval screen, Mercado Pago's checkout): one plain HTML
// form whose buttons each POST to the fake, which then redirects the browser back to the shop. No script, no external
// resource and a `default-src 'none'` policy, so it works in headless Chromium with everything else blocked and a test
// drives it with `click('text=Pay now')`. No `form-action` directive: Chromium applies it to the redirect back to the
// shop's origin too, which would block the very step under test.

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

export interface CheckoutPage {
  title: string;
  /** Lines describing what is being paid (merchant, amount, reference). */
  lines: string[];
  /** Hidden fields every button posts. */
  fields: Record<string, string>;
  /** Each button: its label and the fake's path it posts to. */
  buttons: { label: string; action: string }[];
}

export function checkoutPage(page: CheckoutPage): Response {
  const hidden = Object.entries(page.fields).map(
    ([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
  );
  const buttons = page.buttons.map(
    (button) => `<button type="submit" formaction="${escapeHtml(button.action)}">${escapeHtml(button.label)}</button>`,
  );
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(page.title)}</title></head><body>`,
    `<h1>${escapeHtml(page.title)}</h1>`,
    ...page.lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<form method="post" action="${escapeHtml(page.buttons[0]?.action ?? '')}">${hidden.join('')}${buttons.join(' ')}</form>`,
    '</body></html>',
  ].join('');
  return new Response(html, {
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'", 'Cache-Control': 'no-store' },
  });
}

export function notFoundPage(what: string): Response {
  return new Response(`<!doctype html><p>${escapeHtml(what)} not found</p>`, {
    status: 404,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'" },
  });
}

/** The fields of a posted form (the page's buttons). */
export async function formFields(request: Request): Promise<Record<string, string>> {
  return Object.fromEntries(new URLSearchParams(await request.text()));
}

export function redirect(location: URL | string): Response {
  return new Response(null, { status: 302, headers: { Location: String(location), 'Cache-Control': 'no-store' } });
}

/** `base` with the query parameters added, keeping those it already has (a shop's return URL often has some). */
export function withQuery(base: string, params: Record<string, string>): URL {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url;
}
