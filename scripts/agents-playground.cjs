// Starts Microsoft 365 Agents Playground through its module's start(): its CLI can exit at
// start-up on an uncaught exception in some environments (telemetry without a network, for one),
// which does not stop it from working. Arguments are the playground's own (start --app-endpoint ...).
process.on('uncaughtException', (error) => {
  console.error(
    `agents-playground: ${error && error.message ? error.message : error} (carrying on)`,
  );
});
process.argv = [process.argv[0], 'agentsplayground', ...process.argv.slice(2)];
require('@microsoft/m365agentsplayground/dist').start();
