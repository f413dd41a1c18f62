// m365agents.yml `script` step, before arm/deploy: gives the environment the values that
// infra/main.parameters.json needs and that no other action writes, without replacing any that
// are set. Secrets (SECRET_ prefix) go to env/.env.<environment>.user, which git ignores.
// The toolkit reads `::set-teamsfx-env NAME=value` lines from standard output.
import { randomBytes, randomUUID } from 'node:crypto';

/** A PostgreSQL password with upper- and lower-case letters, digits and a symbol. */
function password() {
  return `${randomBytes(24).toString('base64url')}Aa1-`;
}

const defaults = {
  RESOURCE_BASE_NAME: () => `iro${randomBytes(3).toString('hex')}`,
  DATABASE_ROLES: () => 'one',
  GRAPH_CREDENTIAL: () => 'managedIdentity',
  // The id of the access_as_user scope in infra/entra/aad.manifest.json; it must never change.
  ACCESS_AS_USER_SCOPE_ID: () => randomUUID(),
  SECRET_POSTGRES_ADMIN_PASSWORD: password,
  SECRET_POSTGRES_APP_ROLE_PASSWORD: password,
};

for (const [name, make] of Object.entries(defaults)) {
  if (!process.env[name]) process.stdout.write(`::set-teamsfx-env ${name}=${make()}\n`);
}
