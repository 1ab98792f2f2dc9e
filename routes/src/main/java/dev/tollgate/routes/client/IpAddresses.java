package dev.tollgate.routes.client;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.netty.util.NetUtil;

/**
 * IP address literals as text, read without ever asking DNS
 * ({@link InetAddress#getByName} looks up whatever is not a well-formed literal, which
 * would block an event loop and leak a query), and the networks they belong to. An
 * IPv4-mapped IPv6 address ({@code ::ffff:198.51.100.1}) is the IPv4 address.
 */
public final class IpAddresses {

	private IpAddresses() {
	}

	/**
	 * The address {@code literal} spells, or {@code null} when it is not an IPv4 or IPv6
	 * literal.
	 */
	public static InetAddress parse(String literal) {
		if (literal == null) {
			return null;
		}
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
		if (bytes == null) {
			return null;
		}
		try {
			// a 16-byte IPv4-mapped address comes back as the Inet4Address
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * The canonical text of the address {@code literal} spells, or {@code null} when it
	 * is not an IP literal.
	 */
	public static String canonical(String literal) {
		InetAddress address = parse(literal);
		return (address != null) ? address.getHostAddress() : null;
	}

	/**
	 * The network of {@code literal}: its first {@code ipv4Bits} bits for an IPv4
	 * address, {@code ipv6Bits} for an IPv6 one, as the masked address and {@code /bits}
	 * ({@code 198.51.100.0/24}, {@code 2001:db8:0:0:0:0:0:0/48}), or the address alone
	 * when every bit is kept; {@code null} when {@code literal} is not an IP literal.
	 */
	public static String network(String literal, int ipv4Bits, int ipv6Bits) {
		InetAddress address = parse(literal);
		if (address == null) {
			return null;
		}
		byte[] bytes = address.getAddress();
		int bits = (bytes.length == 4) ? ipv4Bits : ipv6Bits;
		if (bits >= bytes.length * 8) {
			return address.getHostAddress();
		}
		for (int i = 0; i < bytes.length; i++) {
			int keep = Math.min(8, Math.max(0, bits - i * 8));
			bytes[i] &= (byte) (0xff << (8 - keep));
		}
		try {
			return InetAddress.getByAddress(bytes).getHostAddress() + "/" + bits;
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
