// A real OpenID Provider (oidc-provider, OpenID certified) for the sign-in tests.
//
// Started by tests/oidc_provider.py: `node provider.js <redirect_uri> [<redirect_uri> ...]`.
// It listens on a free port of 127.0.0.1 and prints one JSON line, {"issuer": ...}, when ready.
//
// One confidential client, "portal" / "portal-secret", sends codes to the redirect URIs given.
// People are whatever the test puts in the account store (PUT /_test/accounts/<login> with JSON
// {email, email_verified, amr, acr}); the sign-in page asks for the login name and nothing else.
// POST /_test/tamper with {"mode": ...} makes the next token responses carry a doctored ID token
// (see doctor() below), so the portal's refusals are tested against real tokens, not mocks.
import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const redirectUris = process.argv.slice(2);
if (redirectUris.length === 0) {
  console.error('usage: node provider.js <redirect_uri> [...]');
  process.exit(2);
}

const accounts = new Map();
let tamper = 'none';

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'portal-test-key', use: 'sig', alg: 'RS256' };
const { privateKey: foreignKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

const b64 = (value) => Buffer.from(value).toString('base64url');
const sign = (header, payload, key) => {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
};

// A token as someone between the provider and the portal might hand it on.
function doctor(idToken, issuer) {
  const [rawHeader, rawPayload, signature] = idToken.split('.');
  const header = JSON.parse(Buffer.from(rawHeader, 'base64url'));
  const payload = JSON.parse(Buffer.from(rawPayload, 'base64url'));
  const now = Math.floor(Date.now() / 1000);
  switch (tamper) {
    case 'claims': // another person's address, the provider's signature kept
      return `${rawHeader}.${b64(JSON.stringify({ ...payload, email: 'head@larch.example.org' }))}.${signature}`;
    case 'expired': // signed with the provider's own key, but an hour old
      return sign(header, { ...payload, iat: now - 7200, exp: now - 3600 }, privateKey);
    case 'audience': // signed with the provider's own key, for another client
      return sign(header, { ...payload, aud: 'another-client' }, privateKey);
    case 'issuer': // signed with the provider's own key, claiming another issuer
      return sign(header, { ...payload, iss: `${issuer}/elsewhere` }, privateKey);
    case 'nonce': // signed with the provider's own key, answering another sign-in's nonce
      return sign(header, { ...payload, nonce: 'a-nonce-from-another-sign-in' }, privateKey);
    case 'foreign-key': // the same key id, signed with a key the provider never published
      return sign(header, payload, foreignKey);
    default:
      return idToken;
  }
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'portal',
      client_secret: 'portal-secret',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    jwks: { keys: [signingJwk] },
    claims: { openid: ['sub', 'acr', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
    acrValues: ['urn:portal:test:password', 'urn:portal:test:mfa'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, email: account.email, email_verified: account.email_verified, name: id }),
      };
    },
    // The portal is first-party: no consent page.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const url = new URL(req.url, issuer);
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      const account = url.pathname.match(/^\/_test\/accounts\/([^/]+)$/);
      if (account && req.method === 'PUT') {
        accounts.set(decodeURIComponent(account[1]), JSON.parse(await readBody(req)));
        return send(204, 'text/plain', '');
      }
      if (url.pathname === '/_test/tamper' && req.method === 'POST') {
        tamper = JSON.parse(await readBody(req)).mode;
        return send(204, 'text/plain', '');
      }
      const interaction = url.pathname.match(/^\/interaction\/([\w-]+)$/);
      if (interaction && req.method === 'GET') {
        const details = await provider.interactionDetails(req, res);
        return send(200, 'text/html; charset=utf-8', `<!doctype html><html lang="en"><head>
<title>Test provider: sign in</title></head><body><main><h1>Test provider</h1>
<form method="post" action="/interaction/${escape(details.uid)}">
<label for="login">Login name</label> <input id="login" name="login" autocomplete="off" autofocus>
<button type="submit">Continue</button></form></main></body></html>`);
      }
      if (interaction && req.method === 'POST') {
        const login = new URLSearchParams(await readBody(req)).get('login') || '';
        const known = accounts.get(login);
        const result = known
          ? { login: { accountId: login, amr: known.amr || ['pwd'], ...(known.acr ? { acr: known.acr } : {}) } }
          : { error: 'access_denied', error_description: 'No such account' };
        return await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      }
      if (url.pathname === '/token' && req.method === 'POST' && tamper !== 'none') {
        // Hand the request to the provider, then doctor the ID token on its way out.
        const write = res.write.bind(res);
        const end = res.end.bind(res);
        const chunks = [];
        res.write = (chunk) => { chunks.push(Buffer.from(chunk)); return true; };
        res.end = (chunk) => {
          if (chunk) chunks.push(Buffer.from(chunk));
          let body = Buffer.concat(chunks).toString('utf8');
          try {
            const json = JSON.parse(body);
            if (json.id_token) json.id_token = doctor(json.id_token, issuer);
            body = JSON.stringify(json);
          } catch { /* not JSON: an error answer, passed on as it is */ }
          res.removeHeader('content-length');
          res.setHeader('content-length', Buffer.byteLength(body));
          write(body);
          return end();
        };
      }
      return callback(req, res);
    } catch (error) {
      return send(500, 'text/plain', String(error));
    }
  });
  console.log(JSON.stringify({ issuer }));
});
