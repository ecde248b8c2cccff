import { assertEquals, assertThrows } from "../lib/assert.ts";
import { charVocab } from "./char_vocab.ts";

Deno.test("charVocab orders characters by code point and maps both ways", () => {
  const vocab = charVocab("hello, world\n");
  assertEquals(vocab.chars, ["\n", " ", ",", "d", "e", "h", "l", "o", "r", "w"]);
  assertEquals(vocab.size, 10);
  assertEquals(vocab.encode("hello"), new Int32Array([5, 4, 6, 6, 7]));
  assertEquals(vocab.decode(vocab.encode("world, hello\n")), "world, hello\n");
});

Deno.test("charVocab treats a character beyond 16 bits as one character", () => {
  const vocab = charVocab("a😀b");
  assertEquals(vocab.size, 3);
  assertEquals(vocab.decode(vocab.encode("😀a")), "😀a");
});

Deno.test("encode rejects a character not in the vocabulary, naming it and its position", () => {
  assertThrows(
    () => charVocab("abc").encode("cab!"),
    Error,
    `character "!" at position 3 is not in the vocabulary`,
  );
});

Deno.test("decode rejects an id outside 0…size−1, naming it and its position", () => {
  const vocab = charVocab("abc");
  assertThrows(() => vocab.decode([0, 3]), Error, "id 3 at position 1 is not in 0…2");
  assertThrows(() => vocab.decode([-1]), Error, "id -1 at position 0");
});

Deno.test("charVocab rejects an empty text", () => {
  assertThrows(() => charVocab(""), Error, "the text is empty");
});
