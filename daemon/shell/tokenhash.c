#include "shell/tokenhash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

int
tokenhash_new(char secret[TOKEN_LEN + 1])
{
	unsigned char rnd[TOKEN_RANDOM_BYTES];

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return -1;
	token_format(rnd, secret);
	OPENSSL_cleanse(rnd, sizeof(rnd));
	return 0;
}

int
tokenhash_hex(const char *token, char out[TOKENHASH_HEX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_Digest(token, strlen(token), md, &len, EVP_sha256(), NULL) != 1 || len != 32)
		return -1;
	for (unsigned int i = 0; i < len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[2 * len] = '\0';
	return 0;
}
