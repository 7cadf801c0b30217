/**
 * Mints a development bearer token signed with the local development key (created on first use).
 * Services accept it only in AUTH_MODE=development, which production configuration refuses.
 *
 *   npm run token -- --sub tm.sam --council bury --role team-manager --team north-1
 *   npm run token -- --sub court-listing --council bury --role service --scope hearings:write
 *   npm run token -- --rotate        add a new signing key (services pick it up without a restart)
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ensureDevelopmentKey, mintDevelopmentToken, Role, ROLES } from '@plo/platform';

async function main() {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      council: { type: 'string' },
      role: { type: 'string', multiple: true, default: [] },
      team: { type: 'string', multiple: true, default: [] },
      scope: { type: 'string', multiple: true, default: [] },
      'expires-in': { type: 'string', default: '28800' },
      rotate: { type: 'boolean', default: false },
    },
  });
  const settings = {
    issuer: process.env.AUTH_ISSUER ?? 'urn:plo:dev-issuer',
    audience: process.env.AUTH_AUDIENCE ?? 'plo-api',
    developmentKeysFile: resolve(process.env.AUTH_DEV_KEYS_FILE ?? '.local/auth/dev-keys.json'),
  };
  if (values.rotate) {
    const key = await ensureDevelopmentKey(settings.developmentKeysFile, true);
    console.error(`new development signing key ${key.kid}`);
    return;
  }
  const unknown = values.role.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (!values.sub || !values.council || !values.role.length || unknown.length) {
    console.error(`usage: npm run token -- --sub ID --council ID --role ROLE [--team ID…] [--scope S…]; roles: ${ROLES.join(', ')}`);
    process.exit(64);
  }
  process.stdout.write(
    `${await mintDevelopmentToken(
      settings,
      { subject: values.sub, councilId: values.council, roles: values.role as Role[], teamIds: values.team, scopes: values.scope },
      { expiresInSeconds: Number(values['expires-in']) },
    )}\n`,
  );
}

main().catch((error) => {
  console.error(`could not mint a token: ${(error as Error).message}`);
  process.exit(1);
});
