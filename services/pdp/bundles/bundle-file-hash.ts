import { createHash } from 'node:crypto';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** OPA's names of the digests a bundle signature may list, with node's names. */
const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA-512-224': 'sha512-224',
  'SHA-512-256': 'sha512-256',
};

export function isHashAlgorithm(name: string): boolean {
  return Object.hasOwn(HASH_ALGORITHMS, name);
}

/**
 * The digest (hex) OPA records for a bundle file. Data documents and the manifest are hashed in a
 * canonical form (object keys sorted, no whitespace, numbers as written) so that re-serialising them
 * does not break the signature; every other file is hashed byte for byte.
 */
export function bundleFileHash(name: string, bytes: Buffer, algorithm: string): string {
  const digest = createHash(HASH_ALGORITHMS[algorithm] ?? unsupported(algorithm));
  digest.update(isStructuredDocument(name) ? canonicalDocument(name, bytes) : bytes);
  return digest.digest('hex');
}

function unsupported(algorithm: string): never {
  throw new Error(`unsupported hashing algorithm: ${algorithm}`);
}

function isStructuredDocument(name: string): boolean {
  const base = path.posix.basename(name);
  return base === 'data.json' || base === 'data.yaml' || base === 'data.yml' || base === '.manifest';
}

function canonicalDocument(name: string, bytes: Buffer): string {
  const text = name.endsWith('.yaml') || name.endsWith('.yml') ? JSON.stringify(parseYaml(bytes.toString('utf8')) ?? null) : bytes.toString('utf8');
  return new CanonicalJson(text).document();
}

/** A single-pass JSON reader that writes OPA's hashing form while it reads. */
class CanonicalJson {
  private at = 0;
  private readonly literal = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  private readonly quoted = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

  constructor(private readonly text: string) {}

  document(): string {
    const out = this.value();
    this.space();
    if (this.at !== this.text.length) this.fail('unexpected trailing content');
    return out;
  }

  private value(): string {
    this.space();
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return goString(this.string());
    const literal = this.match(this.literal);
    if (!literal) this.fail('unexpected character');
    this.at += literal[0].length;
    return literal[0];
  }

  private object(): string {
    this.at++;
    const members = new Map<string, string>();
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return '{}';
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail('expected a key');
      const key = this.string();
      this.space();
      this.expect(':');
      members.set(key, this.value());
      this.space();
      if (this.text[this.at] === ',') {
        this.at++;
        continue;
      }
      this.expect('}');
      break;
    }
    const keys = [...members.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((key) => `${goString(key)}:${members.get(key)}`).join(',')}}`;
  }

  private array(): string {
    this.at++;
    const items: string[] = [];
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return '[]';
    }
    for (;;) {
      items.push(this.value());
      this.space();
      if (this.text[this.at] === ',') {
        this.at++;
        continue;
      }
      this.expect(']');
      break;
    }
    return `[${items.join(',')}]`;
  }

  private string(): string {
    const end = this.match(this.quoted);
    if (!end) this.fail('bad string');
    this.at += end[0].length;
    return JSON.parse(end[0]) as string;
  }

  private match(sticky: RegExp): RegExpExecArray | null {
    sticky.lastIndex = this.at;
    return sticky.exec(this.text);
  }

  private space(): void {
    while (/[ \t\r\n]/.test(this.text[this.at] ?? '')) this.at++;
  }

  private expect(c: string): void {
    if (this.text[this.at] !== c) this.fail(`expected ${c}`);
    this.at++;
  }

  private fail(message: string): never {
    throw new Error(`invalid JSON at offset ${this.at}: ${message}`);
  }
}

/** A string as Go's encoder writes it without HTML escaping: like JSON.stringify, plus U+2028/U+2029 escaped. */
function goString(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
