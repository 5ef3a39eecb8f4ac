// A real OpenID Connect provider (oidc-provider) for consult's sign-in tests. Never for production.
//
// Settings come from the environment:
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET  the one client (the site under test)
//   OIDC_REDIRECT_URIS                  its redirect URIs, separated by spaces
//   OIDC_JWKS                           optional: the private signing keys as a JWK Set (JSON), so a test
//                                       can sign tokens with the provider's own key
//   OIDC_HOST                           optional: the host to listen on (127.0.0.1)
//   OIDC_ASK_CONSENT                    optional: 1 shows the consent page after signing in, as a
//                                       provider does for a client it does not treat as its own
// It listens on a free port and prints one line of JSON, {"issuer": "http://127.0.0.1:PORT"}, once it answers.
//
// Sign-in uses oidc-provider's development interactions (a plain form that takes a login name and any
// password); unless OIDC_ASK_CONSENT is 1, consent is given for the test client without asking, so a
// sign-in is one form.
import http from 'node:http';

import Provider from 'oidc-provider';

// The test users: the login name typed into the form is the account's subject.
const USERS = {
  anna: {
    name: 'Anna Bērziņa', given_name: 'Anna', family_name: 'Bērziņa',
    email: 'anna.berzina@example.lv', email_verified: true,
  },
  janis: {
    name: 'Jānis Kalniņš', given_name: 'Jānis', family_name: 'Kalniņš',
    email: 'janis.kalnins@example.lv', email_verified: false,
  },
  ilze: {
    name: 'Ilze Ozola', given_name: 'Ilze', family_name: 'Ozola',
    email: 'ilze.ozola@example.gov.lv', email_verified: true, consult_role: 'moderator',
  },
};

const env = process.env;
const host = env.OIDC_HOST || '127.0.0.1';
const clientId = env.OIDC_CLIENT_ID || 'consult';
const scopes = 'openid email profile roles';

const server = http.createServer();
server.listen(0, host, () => {
  const issuer = `http://${host}:${server.address().port}`;
  const configuration = {
    clients: [{
      client_id: clientId,
      client_secret: env.OIDC_CLIENT_SECRET || 'consult-test-secret',
      redirect_uris: (env.OIDC_REDIRECT_URIS || '').split(' ').filter(Boolean),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    scopes: scopes.split(' '),
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
      roles: ['consult_role'],
    },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, sub) {
      const user = USERS[sub];
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...user }) };
    },
    // The test client is first party: consent for its scopes is given without a second page.
    loadExistingGrant: env.OIDC_ASK_CONSENT === '1' ? undefined : async (ctx) => {
      const { client, session } = ctx.oidc;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(scopes);
      grant.addOIDCClaims(['consult_role']);
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 600 },
  };
  if (env.OIDC_JWKS) configuration.jwks = JSON.parse(env.OIDC_JWKS);
  if (!configuration.loadExistingGrant) delete configuration.loadExistingGrant;
  const provider = new Provider(issuer, configuration);
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
