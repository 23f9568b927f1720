#include "core/radix.h"

const char base32_alphabet[33] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t
radix_encode(const unsigned char *in, size_t len, int bits, const char *alphabet,
    char *out)
{
	unsigned int acc = 0, mask = (1u << bits) - 1;
	int have = 0;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		have += 8;
		while (have >= bits) {
			have -= bits;
			out[n++] = alphabet[(acc >> have) & mask];
		}
	}
	if (have > 0)
		out[n++] = alphabet[(acc << (bits - have)) & mask];
	out[n] = '\0';
	return n;
}

size_t
base32_encode(const unsigned char *in, size_t len, char *out)
{
	return radix_encode(in, len, 5, base32_alphabet, out);
}
