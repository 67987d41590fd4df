import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../program';

const OPERATIONS = fs.readFileSync(path.resolve(__dirname, '../../../docs/operations.md'), 'utf8');

/** The command-line table of docs/operations.md: its first column by row, e.g. `audit verify [--tenant T]`. */
function documentedCommands(): string[] {
  const section = OPERATIONS.split('\n## The command line\n')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => /^\| `([^`]+)`/.exec(line)![1]!);
}

/** Each runnable command and its flags, a flag as the names it has (`-d`, `--data`): the table may use either. */
function runnableCommands(command: Command, prefix: string[] = []): { path: string; flags: string[][] }[] {
  return command.commands.flatMap((sub) => {
    const names = [...prefix, sub.name()];
    if (sub.commands.length > 0) return runnableCommands(sub, names);
    return [{ path: names.join(' '), flags: sub.options.map((option) => [option.short, option.long].filter((name): name is string => name !== undefined)) }];
  });
}

describe('docs/operations.md, The command line', () => {
  const documented = documentedCommands();

  it.each(runnableCommands(buildProgram()).map((command) => [command.path, command.flags] as const))('has a row for `%s` naming each of its flags', (command, flags) => {
    const row = documented.find((candidate) => candidate === command || candidate.startsWith(`${command} `));
    expect(row).toBeDefined();
    for (const names of flags) expect(row).toMatch(new RegExp(`(?:^|[\\s[(])(?:${names.join('|')})\\b`));
  });
});
