package dev.tollgate.routes.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An open-addressing hash table from a session id's 64-bit fingerprint to the second
 * until which its access tokens are refused: two primitive arrays, 12 bytes a slot, at
 * most half full. Session ids are random (128 bits drawn at login), so two ids share a
 * fingerprint with a chance of about one in 2<sup>64</sup> per pair: a false match would
 * end a session early, never keep one alive.
 * <p>
 * Written by one thread at a time ({@link EndedSessions} holds a lock); read by any
 * number of threads without a lock. A slot's end is written before its fingerprint, and
 * the fingerprint with release semantics, so a reader that sees a fingerprint also sees
 * its end. Nothing is ever removed in place: {@link #rebuilt} copies the live entries
 * into a new table, which the owner then publishes.
 */
final class EndedSessionTable {

	private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(long[].class);

	private static final VarHandle UNTILS = MethodHandles.arrayElementVarHandle(int[].class);

	private static final int MIN_CAPACITY = 64;

	private static final int MAX_CAPACITY = 1 << 30;

	private final long[] keys;

	private final int[] untils;

	private final int mask;

	private volatile int size;

	private EndedSessionTable(int capacity) {
		this.keys = new long[capacity];
		this.untils = new int[capacity];
		this.mask = capacity - 1;
	}

	static EndedSessionTable empty() {
		return new EndedSessionTable(MIN_CAPACITY);
	}

	/** A 64-bit fingerprint of a session id, never 0 (the empty slot). */
	static long fingerprint(String sessionId) {
		long hash = 0xcbf29ce484222325L;
		for (int i = 0; i < sessionId.length(); i++) {
			hash = (hash ^ sessionId.charAt(i)) * 0x100000001b3L;
		}
		// finaliser of SplitMix64: every input bit reaches every output bit
		hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
		hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
		hash ^= hash >>> 31;
		return (hash != 0) ? hash : 1;
	}

	boolean isEmpty() {
		return this.size == 0;
	}

	int size() {
		return this.size;
	}

	int capacity() {
		return this.keys.length;
	}

	/**
	 * The end (in the owner's seconds) of the entry of {@code fingerprint}, or 0 when
	 * there is none.
	 */
	int until(long fingerprint) {
		for (int slot = slot(fingerprint);; slot = (slot + 1) & this.mask) {
			long key = (long) KEYS.getAcquire(this.keys, slot);
			if (key == fingerprint) {
				return (int) UNTILS.getAcquire(this.untils, slot);
			}
			if (key == 0) {
				return 0;
			}
		}
	}

	/**
	 * Records {@code until} for {@code fingerprint}, keeping the later end if it is there
	 * already. Returns {@code false}, changing nothing, when a new entry would make the
	 * table more than half full.
	 */
	boolean put(long fingerprint, int until) {
		for (int slot = slot(fingerprint);; slot = (slot + 1) & this.mask) {
			long key = this.keys[slot];
			if (key == fingerprint) {
				if (until > this.untils[slot]) {
					UNTILS.setRelease(this.untils, slot, until);
				}
				return true;
			}
			if (key == 0) {
				if ((this.size + 1) * 2 > this.keys.length) {
					return false;
				}
				UNTILS.setRelease(this.untils, slot, until);
				KEYS.setRelease(this.keys, slot, fingerprint);
				this.size++;
				return true;
			}
		}
	}

	/**
	 * A new table holding the entries of this one that end after {@code now}, with room
	 * for {@code extra} more before it is half full.
	 */
	EndedSessionTable rebuilt(int now, int extra) {
		int live = 0;
		for (int slot = 0; slot < this.keys.length; slot++) {
			if (this.keys[slot] != 0 && this.untils[slot] > now) {
				live++;
			}
		}
		EndedSessionTable rebuilt = new EndedSessionTable(capacityFor(live + extra));
		for (int slot = 0; slot < this.keys.length; slot++) {
			if (this.keys[slot] != 0 && this.untils[slot] > now) {
				rebuilt.put(this.keys[slot], this.untils[slot]);
			}
		}
		return rebuilt;
	}

	/**
	 * The smallest power of two that holds {@code entries} at most half full, with room
	 * to grow a little.
	 */
	private static int capacityFor(int entries) {
		long wanted = Math.max(MIN_CAPACITY, (long) entries * 2 + 2);
		if (wanted > MAX_CAPACITY) {
			throw new IllegalStateException("More than " + MAX_CAPACITY / 2 + " ended sessions held");
		}
		return Integer.highestOneBit((int) wanted - 1) << 1;
	}

	private int slot(long fingerprint) {
		// the fingerprint is already well mixed: its high bits pick the slot
		return (int) (fingerprint >>> 33) & this.mask;
	}

}
