import { describe, expect, it } from 'vitest';
import { parserReason } from './auth0-source.js';

describe('parserReason', () => {
  it('cuts the text V8 quotes from the input in each of its forms (it may hold a hash)', () => {
    const hash = '$2b$10$UcxceSJhPughEeF6alIe1uPeLeydRlR7MGvxoNgXn3cdPHxFlX68C';
    const messages: string[] = [];
    for (const text of [`x${hash}`, `{"passwordHash":"${hash}"x}`, `{"_id":"a","email":"jane@example.com","passwordHash":"${hash}","connection":"db"} trailing`, `{"a":1,"b":2,"c":3,"d":4,"passwordHash":"${hash}" x`]) {
      try {
        JSON.parse(text);
      } catch (error) {
        messages.push(parserReason((error as Error).message));
      }
    }
    expect(messages).toHaveLength(4);
    for (const message of messages) expect(message).not.toMatch(/UcxceSJh|\$2b\$|jane/);
    expect(parserReason("Unexpected token 'a', \"a\u00e9e\"... is not valid JSON")).toBe("Unexpected token 'a'");
    expect(parserReason('Unexpected token \'x\', ..."abc"... is not valid JSON')).toBe("Unexpected token 'x'");
    expect(parserReason('Unexpected token \'x\', ..."abc" is not valid JSON')).toBe("Unexpected token 'x'");
  });
});
