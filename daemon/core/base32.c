#include "core/base32.h"

const char base32_alphabet[33] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t
base32_encode(const unsigned char *in, size_t len, char *out)
{
	unsigned int acc = 0;
	int bits = 0;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[n++] = base32_alphabet[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out[n++] = base32_alphabet[(acc << (5 - bits)) & 31];
	out[n] = '\0';
	return n;
}
