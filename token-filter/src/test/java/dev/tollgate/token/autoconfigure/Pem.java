package dev.tollgate.token.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Base64;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * Key pairs made with plain JCA and written as PEM files, the way an operator would hand
 * them over.
 */
final class Pem {

	private Pem() {
	}

	static KeyPair generate(String algorithm, int size) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
			generator.initialize(size);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static KeyPair generate(String algorithm, AlgorithmParameterSpec spec) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
			generator.initialize(spec);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static KeyPair generate(String algorithm) {
		try {
			return KeyPairGenerator.getInstance(algorithm).generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A PEM block of {@code type} around {@code der}, 64 characters a line. */
	static String block(String type, byte[] der) {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
	}

	/** The PKCS#8 private key of {@code pair} as a {@code file:} resource. */
	static Resource privateKey(Path dir, String name, KeyPair pair) {
		return write(dir, name, block("PRIVATE KEY", pair.getPrivate().getEncoded()));
	}

	/** The X.509 public key of {@code pair} as a {@code file:} resource. */
	static Resource publicKey(Path dir, String name, KeyPair pair) {
		return write(dir, name, block("PUBLIC KEY", pair.getPublic().getEncoded()));
	}

	static Resource write(Path dir, String name, String text) {
		try {
			return new FileSystemResource(Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
