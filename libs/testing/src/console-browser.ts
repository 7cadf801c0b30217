/**
 * A person using the console over plain HTTP, the way a browser without JavaScript would: it keeps the
 * session cookie, and posts forms with the CSRF token the page gave it. Browser tests drive Chromium;
 * this is for the many page tests that only need the HTML.
 */
export class ConsoleUser {
  private cookies = new Map<string, string>();
  lastPage = '';

  constructor(readonly baseUrl: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some(
        (attribute) => /^\s*expires=/i.test(attribute) && new Date(attribute.split('=')[1]).getTime() < Date.now(),
      );
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** One request, redirects not followed. */
  async request(path: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.cookieHeader() };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(new URL(path, this.baseUrl), {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }

  /** Follows redirects on this site, as a browser would; answers the last response and its HTML. */
  async visit(path: string, init: { form?: Record<string, string> } = {}): Promise<{ status: number; url: string; html: string }> {
    let response = await this.request(path, init);
    let url = new URL(path, this.baseUrl).toString();
    for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 10; hops++) {
      url = new URL(response.headers.get('location')!, url).toString();
      if (!url.startsWith(this.baseUrl)) return { status: response.status, url, html: '' };
      response = await this.request(url);
    }
    const html = await response.text();
    this.lastPage = html;
    return { status: response.status, url, html };
  }

  /** The CSRF token of the last page visited (every form carries it). */
  csrfToken(): string {
    const token = /name="_csrf" value="([^"]+)"/.exec(this.lastPage)?.[1];
    if (!token) throw new Error('the last page had no form with a CSRF token');
    return token;
  }

  /** Posts a form as the last page would have, CSRF token included. */
  async submit(path: string, fields: Record<string, string> = {}) {
    return this.visit(path, { form: { _csrf: this.csrfToken(), ...fields } });
  }

  /** Development sign-in as a demo persona (tm.sam, sm.jo, sw.alex, sw.pat, tm.lee, law.kim). */
  async signInAs(persona: string, returnTo = '/'): Promise<{ status: number; url: string; html: string }> {
    await this.visit(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
    return this.submit('/sign-in', { persona, returnTo });
  }
}

/** Visible text of an HTML fragment, tags removed and whitespace collapsed (for assertions a person would make). */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}
