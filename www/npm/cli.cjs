#!/usr/bin/env node
"use strict";
// The `s3-replication-lint` command. It reads files, calls the package API and prints what
// the core renders; it decides nothing about documents itself. Arguments: lib/cli/args.cjs;
// reading inputs: lib/cli/inputs.cjs; each command: lib/cli/commands/ (required when run).
// CommonJS, not an ES module: Node's ES module loader alone costs a cold start ~10 ms.
//
// Exit codes: 0 = no errors, 1 = errors found (or the document could not be read),
// 2 = usage or I/O problem (the message says which).
const { PROG, VERSION, UsageError } = require("./lib/cli/args.cjs");

// V8 first runs WebAssembly through its baseline compiler and recompiles the hot functions
// with its optimizing one in the background. A command's run is too short for that to pay:
// on two cores it competed with the run itself (cold start ~35 ms slower; a 1000-rule check
// and 30 100-rule files, whole process, 17-23 % slower; BENCHMARKS.md, CLI cold start). A
// larger budget lets only a long run (many large files) reach the optimizing compiler. Set
// before the module is loaded; the library leaves its host's flags alone.
require("node:v8").setFlagsFromString("--wasm-tiering-budget=100000000");

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

const help = () => require("./lib/cli/help.cjs").HELP;
const print = (s) => process.stdout.write(`${s}\n`);

function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${help().main}\n`);
    return 2;
  }
  if (command === "-h" || command === "--help" || command === "help") {
    const HELP = help();
    return print(rest[0] && HELP[rest[0]] ? HELP[rest[0]] : HELP.main), 0;
  }
  if (command === "-V" || command === "--version") return print(VERSION), 0;
  if (!Object.hasOwn(COMMANDS, command)) {
    throw new UsageError(`unknown command '${command}' (commands: ${Object.keys(COMMANDS).join(", ")})`);
  }
  const [file, name] = COMMANDS[command];
  return require(`./lib/cli/commands/${file}.cjs`)[name](rest);
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${PROG}: ${error.message}\nRun '${PROG} --help' for usage.\n`);
  } else {
    process.stderr.write(`${PROG}: internal error: ${error && error.message ? error.message : String(error)}\n`);
  }
  process.exitCode = 2;
}
