// Runs dockerfile-utils' validate() over every file given on the command line, in one Node
// process, and prints the number of problems found (the peer side of the lint benchmark).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { validate } = require('dockerfile-utils');

let problems = 0;
for (const file of process.argv.slice(2)) {
  problems += validate(readFileSync(file, 'utf8')).length;
}
console.log(problems);
