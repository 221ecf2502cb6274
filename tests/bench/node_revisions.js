#!/usr/bin/env node
/*
 * node_revisions.js - the Node reference for `make bench`: the revision
 * hashes of a QLDB journal export computed with ion-js + ion-hash-js (the
 * packages of shared/tools/ionhash-oracle), the way a JavaScript verifier
 * does it: parse each file into Ion DOM values, and for every revision
 * hash = dot(IonHash(metadata), IonHash(data) or dataHash) (shared/docs/
 * qldb-verification.md F1-F3), each IonHash over the value's binary form
 * read back through ion-hash-js's hash reader (its only entry point).
 * Every computed hash is compared with the revision's stored `hash`.
 *
 * usage: node node_revisions.js ORACLE_DIR FILE...
 * prints "bytes B revisions R mismatches M seconds S" (S: wall time of
 * the read + parse + hash, files read inside the timing); exit 1 on a
 * mismatch or an error.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const dir = process.argv[2];
const files = process.argv.slice(3);
if (!dir || files.length === 0) {
	console.error('usage: node node_revisions.js ORACLE_DIR FILE...');
	process.exit(1);
}
const ion = require(path.join(path.resolve(dir), 'node_modules', 'ion-js'));
const ionHash = require(path.join(path.resolve(dir), 'node_modules', 'ion-hash-js'));

const provider = () => {
	let h = crypto.createHash('sha256');
	return {
		update(b) { h.update(b); },
		digest() { const d = new Uint8Array(h.digest()); h = crypto.createHash('sha256'); return d; },
	};
};

function ionHashOf(value) {
	const r = ionHash.makeHashReader(ion.makeReader(ion.dumpBinary(value)), provider);
	r.next();
	r.next();
	return Buffer.from(r.digest());
}

/* signed bytes from index 31 down to 0 (F1) */
function cmp(a, b) {
	for (let i = 31; i >= 0; i--) {
		const d = ((a[i] << 24) >> 24) - ((b[i] << 24) >> 24);
		if (d) return d;
	}
	return 0;
}
function dot(a, b) {
	if (!a || a.length === 0) return b;
	if (!b || b.length === 0) return a;
	const pair = cmp(a, b) < 0 ? [a, b] : [b, a];
	return crypto.createHash('sha256').update(Buffer.concat(pair)).digest();
}
const blob = (v) => Buffer.from(v.uInt8ArrayValue());

let bytes = 0, revisions = 0, mismatches = 0;
const t0 = process.hrtime.bigint();
for (const f of files) {
	const text = fs.readFileSync(f);
	bytes += text.length;
	for (const block of ion.loadAll(text.toString('utf8'))) {
		const revs = block.get('revisions');
		if (!revs) continue;
		for (const rev of revs) {
			const md = rev.get('metadata');
			if (!md) continue; /* a bare-hash entry: nothing to recompute */
			const data = rev.get('data');
			const dataHash = rev.get('dataHash');
			const h = dot(ionHashOf(md), data ? ionHashOf(data) : dataHash ? blob(dataHash) : null);
			revisions++;
			if (!h.equals(blob(rev.get('hash')))) mismatches++;
		}
	}
}
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`bytes ${bytes} revisions ${revisions} mismatches ${mismatches} seconds ${s.toFixed(3)}`);
process.exit(mismatches ? 1 : 0);
