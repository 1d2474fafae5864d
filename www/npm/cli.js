#!/usr/bin/env node
// The `s3-replication-lint` command. It reads files, calls the package API and prints what
// the core renders; it decides nothing about documents itself. Arguments: lib/cli/args.js;
// reading inputs: lib/cli/inputs.js; each command: lib/cli/commands/ (imported when run).
//
// Exit codes: 0 = no errors, 1 = errors found (or the document could not be read),
// 2 = usage or I/O problem (the message says which).
import { PROG, VERSION, UsageError } from "./lib/cli/args.js";

/** Command -> [module under lib/cli/commands/, its export]. */
const COMMANDS = {
  check: ["check", "check"],
  policies: ["policies", "policies"],
  audit: ["check", "audit"],
  simulate: ["document", "simulate"],
  explain: ["document", "explain"],
  convert: ["document", "convert"],
  rules: ["rules", "rules"],
};

const help = async () => (await import("./lib/cli/help.js")).HELP;
const print = (s) => process.stdout.write(`${s}\n`);

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${(await help()).main}\n`);
    return 2;
  }
  if (command === "-h" || command === "--help" || command === "help") {
    const HELP = await help();
    return print(rest[0] && HELP[rest[0]] ? HELP[rest[0]] : HELP.main), 0;
  }
  if (command === "-V" || command === "--version") return print(VERSION), 0;
  if (!Object.hasOwn(COMMANDS, command)) {
    throw new UsageError(`unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(", ")})`);
  }
  const [file, name] = COMMANDS[command];
  const run = (await import(`./lib/cli/commands/${file}.js`))[name];
  return run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${PROG}: ${error.message}\nRun '${PROG} --help' for usage.\n`);
  } else {
    process.stderr.write(`${PROG}: internal error: ${error && error.message ? error.message : String(error)}\n`);
  }
  process.exitCode = 2;
}
