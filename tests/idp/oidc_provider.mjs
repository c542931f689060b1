// An OpenID Connect provider for the sign-on tests (never deployed).
// node oidc_provider.mjs, configured by environment:
//   PORT, ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI,
//   ACCOUNTS: JSON {login: {sub, given_name, family_name, email, groups: []}}.
// The login page asks for the login name and whether to use two factors; a
// login with two factors gets amr ["pwd", "mfa"], without ["pwd"].
import http from 'node:http';
import { URLSearchParams } from 'node:url';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');

const provider = new Provider(process.env.ISSUER, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  acrValues: ['urn:test:pwd', 'urn:test:mfa'],
  claims: {
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    email: ['email'],
    profile: ['given_name', 'family_name', 'preferred_username', 'groups'],
  },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  cookies: { keys: ['test-only-cookie-key'] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // The account id is the person's stable subject (as Entra ID's oid).
  async findAccount(ctx, id) {
    const login = Object.keys(accounts).find((name) => accounts[name].sub === id);
    if (!login) return undefined;
    return {
      accountId: id,
      async claims() { return { ...accounts[login], preferred_username: login }; },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

const page = (uid, error) => `<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>Testinloggning</title></head><body><main><h1>Testinloggning</h1>
${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}">
<label for="login">Användar-id</label><input id="login" name="login">
<input type="checkbox" id="mfa" name="mfa" value="1"><label for="mfa">Med tvåfaktor</label>
<button type="submit">Logga in hos testleverantören</button></form></main></body></html>`;

const readBody = (req) => new Promise((resolve) => {
  let data = '';
  req.on('data', (chunk) => { data += chunk; });
  req.on('end', () => resolve(new URLSearchParams(data)));
});

const callback = provider.callback();
http.createServer(async (req, res) => {
  try {
    if (req.url.startsWith('/interaction/')) {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(page(details.uid));
        return;
      }
      const form = await readBody(req);
      const login = form.get('login') || '';
      if (!accounts[login]) {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(page(details.uid, 'Okänd användare'));
        return;
      }
      const mfa = form.get('mfa') === '1';
      await provider.interactionFinished(req, res, {
        login: {
          accountId: accounts[login].sub,
          amr: mfa ? ['pwd', 'mfa'] : ['pwd'],
          acr: mfa ? 'urn:test:mfa' : 'urn:test:pwd',
        },
      }, { mergeWithLastSubmission: false });
      return;
    }
    callback(req, res);
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err));
  }
}).listen(port, '127.0.0.1', () => { console.log(`listening ${port}`); });
