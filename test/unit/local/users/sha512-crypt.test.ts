import { describe, expect, it } from "vitest";
import { randomSalt, sha512Crypt } from "../../../../src/backends/local/users/sha512-crypt.js";

// Expected values printed by `openssl passwd -6 -salt <salt> <password>` (OpenSSL 3).
describe("sha512Crypt", () => {
  it.each([
    ["secret", "abcdefgh", "$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKPPrVACtLtip/cZ/1GM/O6IND4WQhG."],
    [
      "a much longer password that is more than sixty four bytes long......!!",
      "0123456789abcdef",
      "$6$0123456789abcdef$V/mq0HapecO.xqaAPZdTmvOdrctY5M7cK3Lx2nIDgAWtk.sP5X6N7FoO8MGWHbNqW9/k2SMSWTTgQct6eejQh/",
    ],
    ["pässwörd", "saltsaltsaltsalt", "$6$saltsaltsaltsalt$0OIGPDuiRPKNh88M0FmGG9U7BYCvo0nHRIKXtLm6h.s3IpT2dycI8djpM2Nhd7bEUCkEMhwvDfAYRqNrQ0Qc8/"],
  ])("hashes %j with salt %s as glibc does", (password, salt, expected) => {
    expect(sha512Crypt(password, salt)).toBe(expected);
  });

  it("cuts the salt to 16 characters, as crypt does", () => {
    expect(sha512Crypt("secret", "0123456789abcdefXYZ")).toBe(sha512Crypt("secret", "0123456789abcdef"));
  });

  it("draws a new 16-character salt each time by default", () => {
    expect(randomSalt()).toMatch(/^[./0-9A-Za-z]{16}$/);
    expect(sha512Crypt("secret")).not.toBe(sha512Crypt("secret"));
  });
});
