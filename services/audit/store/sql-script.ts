/**
 * Splits a SQL file into statements at top-level semicolons. Drivers differ (PGlite's `query` takes one
 * statement, pg's extended protocol too), so migrations run statement by statement inside kysely's
 * migration transaction. Quotes, dollar-quoted bodies and comments are skipped over, never split.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < script.length) {
    const char = script[i];
    const next = script[i + 1];
    if (char === '-' && next === '-') {
      i = endOf(script, '\n', i + 2);
    } else if (char === '/' && next === '*') {
      i = endOf(script, '*/', i + 2);
    } else if (char === "'" || char === '"') {
      i = endOfQuoted(script, char, i + 1);
    } else if (char === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i))?.[0];
      i = tag ? endOf(script, tag, i + tag.length) : i + 1;
    } else if (char === ';') {
      pushStatement(statements, script.slice(start, i));
      start = i + 1;
      i += 1;
    } else {
      i += 1;
    }
  }
  pushStatement(statements, script.slice(start));
  return statements;
}

function endOf(script: string, terminator: string, from: number): number {
  const at = script.indexOf(terminator, from);
  return at === -1 ? script.length : at + terminator.length;
}

/** A doubled quote inside a quoted string is an escaped quote, not its end. */
function endOfQuoted(script: string, quote: string, from: number): number {
  let i = from;
  while (i < script.length) {
    if (script[i] === quote) {
      if (script[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  return i;
}

function pushStatement(statements: string[], text: string): void {
  const withoutComments = text.replace(/--[^\n]*/g, '').trim();
  if (withoutComments.length > 0) statements.push(text.trim());
}
