#!/usr/bin/env bash
# Live check of the CISO Assistant hand-over: makes a full 2022 assessment (answers, exclusions,
# notes, actions with owners, risks linked to Annex A controls), exports its hand-over folder, imports
# it into a running CISO Assistant the way the folder's README says, in its order, and reads the
# counts back through the REST API. Then the way back: the audit's own XLSX export is imported into
# isms-ready, and the hand-over is imported again into that same audit (X-Target-Id).
#
# usage: scripts/check_ciso_handover.sh
#   CISO_ASSISTANT_URL=https://host/api CISO_ASSISTANT_TOKEN=<personal access token>   an instance, or
#   CISO_ASSISTANT_KIT=/tmp/ciso-assistant   the WORKDIR of the local kit (its ids.json and token.txt)
#   ISMS_READY=path/to/isms-ready (default: target/debug/isms-ready, built when missing)
#   KEEP=dir   keep the hand-over, the export and the database there
# Without an instance it prints one line and exits 0 (CI has none). Needs curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CISO_ASSISTANT_URL:-}" ] && [ -n "${CISO_ASSISTANT_KIT:-}" ] && [ -f "$CISO_ASSISTANT_KIT/ids.json" ]; then
  CISO_ASSISTANT_URL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["api_url"])' "$CISO_ASSISTANT_KIT/ids.json")
  CISO_ASSISTANT_TOKEN=$(cat "$CISO_ASSISTANT_KIT/token.txt")
fi
if [ -z "${CISO_ASSISTANT_URL:-}" ] || [ -z "${CISO_ASSISTANT_TOKEN:-}" ]; then
  echo "check_ciso_handover: SKIPPED - no CISO Assistant instance (set CISO_ASSISTANT_URL and CISO_ASSISTANT_TOKEN, or CISO_ASSISTANT_KIT)"
  exit 0
fi
if ! curl -sf -o /dev/null "$CISO_ASSISTANT_URL/health/" 2>/dev/null && ! curl -sf -o /dev/null -H "Authorization: Token $CISO_ASSISTANT_TOKEN" "$CISO_ASSISTANT_URL/folders/"; then
  echo "check_ciso_handover: SKIPPED - $CISO_ASSISTANT_URL does not answer"
  exit 0
fi
BIN=${ISMS_READY:-target/debug/isms-ready}
[ -x "$BIN" ] || CARGO_PROFILE_DEV_DEBUG=0 cargo build --quiet
WORK=${KEEP:-$(mktemp -d)}
mkdir -p "$WORK"
export ISMS_READY_DB="$WORK/check.db"
rm -f "$ISMS_READY_DB"
STAMP=$(date +%Y%m%d-%H%M%S)
A="Live check $STAMP"

# --- a full 2022 assessment ------------------------------------------------------------------
"$BIN" new --name "$A" --standard iso27001-2022 --scope "Check of the hand-over" > /dev/null
"$BIN" questionnaires show iso27001-2022 --json | python3 -c '
import json, subprocess, sys
bin_, name = sys.argv[1], sys.argv[2]
items = json.load(sys.stdin)["items"]
args = []
for it in items:
    n, ref = it["number"], it["ref"]
    node = ref.split(" ")[0]
    if node in ("10.1", "10.2") or (node.startswith("A.8.") and int(node.split(".")[2]) >= 20):
        continue                                   # not assessed
    cmd = [bin_, "answer", "-a", name, "--item", str(n)]
    if node in ("A.7.5", "A.7.6"):
        cmd += ["--exclude", "No premises of our own: shared office, landlord controls"]
    else:
        cmd += ["--level", str(n % 5)]
    if n % 7 == 0:
        cmd += ["--note=" + ("- open point: " + ref if n % 2 else "=SUM(1,2) is not a formula here")]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
' "$BIN" "$A"
"$BIN" action -a "$A" add --item 1,2 --title "Write the context analysis" --owner "ciso@acme.example" --effort M --priority 1 > /dev/null
"$BIN" action -a "$A" add --item "$("$BIN" questionnaires show iso27001-2022 --json | python3 -c 'import json,sys; print(next(i["number"] for i in json.load(sys.stdin)["items"] if i["ref"]=="A.8.8"))')" \
  --title "Patch management, monthly" --owner "Security team" --effort L --priority 2 > /dev/null
"$BIN" action -a "$A" add --item "$("$BIN" questionnaires show iso27001-2022 --json | python3 -c 'import json,sys; print(next(i["number"] for i in json.load(sys.stdin)["items"] if i["ref"]=="A.8.13"))')" \
  --title "Offline backups, tested restore" --owner "ciso@acme.example;Security team" --priority 1 > /dev/null
"$BIN" action -a "$A" set 3 --status done > /dev/null
"$BIN" action -a "$A" add --item "$("$BIN" questionnaires show iso27001-2022 --json | python3 -c 'import json,sys; print(next(i["number"] for i in json.load(sys.stdin)["items"] if i["ref"]=="A.5.24"))')" \
  --title "Incident response plan" --owner "Jo Bloggs (IT)" --priority 2 --note="- call the insurer first" > /dev/null
"$BIN" risks add -a "$A" --title "Ransomware on the file server" --likelihood 4 --impact 5 --owner CISO --treatment mitigate \
  --controls A.8.8,A.8.13 --residual-likelihood 2 --residual-impact 4 > /dev/null
"$BIN" risks add -a "$A" --title "Incident handled too late" --likelihood 3 --impact 3 --owner CISO --treatment mitigate \
  --controls A.5.24,A.5.26 --residual-likelihood 2 --residual-impact 2 > /dev/null
"$BIN" risks add -a "$A" --title "Laptop stolen" --likelihood 2 --impact 2 --owner IT --treatment accept > /dev/null
# An internal audit with a major, a minor and an observation finding; the major one's nonconformity
# gets its correction, root cause and corrective action (issue 30).
"$BIN" audit -a "$A" add --type internal --title "Internal audit, ISMS core" --date 2026-11-02 \
  --auditor "Kim Roe (independent)" --scope "4,5,A.5,A.8" > /dev/null
"$BIN" finding -a "$A" add --audit AUD-1 --item A.8.8 --type major --statement "Patches months late on 3 of 5 servers sampled" \
  --evidence "WSUS report of 2026-10-30" --auditee "IT lead" > /dev/null
"$BIN" finding -a "$A" add --audit AUD-1 --item "4.1 #1" --type minor --statement="- context analysis not reviewed since 2024" > /dev/null
"$BIN" finding -a "$A" add --audit AUD-1 --item A.5.1 --type observation --statement "=Policy signed, not yet communicated" > /dev/null
"$BIN" nc -a "$A" set NC-1 --correction "Patched the 3 servers" --root-cause "No owner for the patch calendar" \
  --action ACT-2 --due 2027-02-28 --status action-in-progress > /dev/null
H="$WORK/handover"
rm -rf "$H"
"$BIN" export -a "$A" --format ciso-assistant -o "$H" > /dev/null

# --- import as the folder's README says, then read back -------------------------------------------
python3 - "$CISO_ASSISTANT_URL" "$CISO_ASSISTANT_TOKEN" "$H" "$STAMP" "$BIN" "$WORK" <<'PY'
import json, os, re, subprocess, sys, urllib.error, urllib.parse, urllib.request, zipfile
import xml.etree.ElementTree as ET

API, TOKEN, H, STAMP, BIN, WORK = sys.argv[1:7]
AUTH = {"Authorization": "Token " + TOKEN}
failures = []


def call(method, path, body=None, headers=None, raw=False):
    url = path if path.startswith("http") else API + path
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    h = dict(AUTH, **(headers or {}))
    if body is not None and not isinstance(body, bytes):
        h["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            payload = r.read()
    except urllib.error.HTTPError as e:
        payload = e.read()
        if e.code not in (400,):
            sys.exit(f"check_ciso_handover: {method} {path} -> {e.code} {payload[:300]!r}")
    return payload if raw else (json.loads(payload) if payload else None)


def get_all(path):
    out, url = [], path
    while url:
        d = call("GET", url)
        if isinstance(d, list):
            return d
        out += d.get("results", [])
        url = d.get("next")
    return out


def expect(what, got, want):
    ok = got == want
    print(f"  {'ok  ' if ok else 'FAIL'} {what}: {got}" + ("" if ok else f" (expected {want})"))
    if not ok:
        failures.append(what)


def sheet(path):
    """The first sheet of an XLSX as a list of dicts (stdlib only)."""
    z = zipfile.ZipFile(path)
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
    rows = []
    for row in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter("{%s}row" % ns["m"]):
        cells = {}
        for c in row.findall("m:c", ns):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            v = c.find("m:v", ns)
            t = c.get("t")
            if t == "s":
                val = shared[int(v.text)]
            elif t == "inlineStr":
                val = "".join(x.text or "" for x in c.iter("{%s}t" % ns["m"]))
            elif t == "b":
                val = v.text == "1"
            else:
                val = None if v is None else float(v.text)
            cells[col] = val
        rows.append(cells)
    header = rows[0]
    return [{header[k]: r.get(k) for k in header} for r in rows[1:]]


audit = sheet(os.path.join(H, "audit.xlsx"))
controls = sheet(os.path.join(H, "applied-controls.xlsx"))
risks = sheet(os.path.join(H, "risk-assessment.xlsx"))
readme = open(os.path.join(H, "README.md"), encoding="utf-8").read()
print(f"hand-over {H}: {len(audit)} audit rows, {len(controls)} applied controls, {len(risks)} risks")

# Before you start: a domain and perimeter of our own, the users and teams the README lists.
domain = call("POST", "/folders/", {"name": f"isms-ready check {STAMP}"})
perimeter = call("POST", "/perimeters/", {"name": f"ISMS check {STAMP}", "folder": domain["id"]})
users = re.findall(r"user with the e-mail `([^`]+)`", readme)
teams = re.findall(r"team named `([^`]+)`", readme)
known = {u.get("email") for u in get_all("/users/")}
for email in users:
    if email not in known:
        call("POST", "/users/", {"email": email})
known = {t.get("name") for t in get_all("/teams/")}
for team in teams:
    if team not in known:
        call("POST", "/teams/", {"name": team, "folder": domain["id"]})
print(f"  domain {domain['name']}, perimeter {perimeter['name']}, users {users}, teams {teams}")


def load_file(path, model, **headers):
    h = {"X-Model-Type": model, "Content-Disposition": f'attachment; filename="{os.path.basename(path)}"'}
    h.update({k.replace("_", "-"): v for k, v in headers.items() if v})
    answer = call("POST", "/data-wizard/load-file/", open(path, "rb").read(), h)
    return (answer or {}).get("results", answer)


# 1. the framework id, found as the README says: /frameworks/?search=27001, the one with the urn.
m = re.search(r'f\["urn"\] == "([^"]+)"', readme)
fw_urn = m.group(1)
libs = {l.get("urn") for l in get_all("/loaded-libraries/")}
lib_urn = fw_urn.replace(":framework:", ":library:")
if lib_urn not in libs:
    call("POST", f"/stored-libraries/{lib_urn}/import/")
fw_id = next(f["id"] for f in call("GET", "/frameworks/?search=27001")["results"] if f["urn"] == fw_urn)
print(f"1. framework {fw_urn}: {fw_id}")

# 2. the audit (the request clica import-compliance-assessments sends)
name = f"Hand-over check {STAMP}"
r = load_file(os.path.join(H, "audit.xlsx"), "ComplianceAssessment", X_Framework_Id=fw_id,
              X_Perimeter_Id=perimeter["id"], X_Name=name)
print(f"2. audit import: successful {r.get('successful')}, failed {r.get('failed')}")
expect("audit rows imported", (r.get("successful"), r.get("failed")), (len(audit), 0))
ca = next(c for c in get_all(f"/compliance-assessments/?perimeter={perimeter['id']}") if c["name"] == name)

# 3. show the scores, untick Scored on the not-assessed rows
call("PATCH", f"/compliance-assessments/{ca['id']}/", {"field_visibility": {
    "score": {"auditor": "edit", "respondent": "hidden"}, "is_scored": {"auditor": "edit", "respondent": "hidden"}}})
na = call("GET", f"/requirement-assessments/?compliance_assessment={ca['id']}&result=not_assessed&page_size=500")["results"]
for ra in na:
    if ra["assessable"]:
        call("PATCH", f"/requirement-assessments/{ra['id']}/", {"is_scored": False})
print(f"3. scores shown, {sum(1 for r in na if r['assessable'])} not-assessed rows unscored")

# 4. the applied controls
r = load_file(os.path.join(H, "applied-controls.xlsx"), "AppliedControl", X_Folder_Id=domain["id"])
print(f"4. applied controls import: successful {r.get('successful')}, failed {r.get('failed')}")
expect("applied controls imported", (r.get("successful"), r.get("failed")), (len(controls), 0))

# 5. the risk matrix library
lib = open(os.path.join(H, "risk-matrix.yaml"), "rb").read()
lib_urn = re.search(rb"^urn: (\S+)", lib, re.M).group(1).decode()
matrix_name = re.search(r'--matrix "([^"]+)"', readme).group(1)
if lib_urn not in {l.get("urn") for l in get_all("/loaded-libraries/")}:
    if lib_urn not in {l.get("urn") for l in get_all("/stored-libraries/")}:
        call("POST", "/stored-libraries/upload/", lib, {"Content-Disposition": 'attachment; filename="risk-matrix.yaml"'})
    call("POST", f"/stored-libraries/{lib_urn}/import/")
matrix = next(m for m in get_all("/risk-matrices/") if m["name"] == matrix_name)
print(f"5. risk matrix {matrix_name}: {matrix['id']}")

# 6. the risk assessment
rname = f"Risks check {STAMP}"
r = load_file(os.path.join(H, "risk-assessment.xlsx"), "RiskAssessment", X_Perimeter_Id=perimeter["id"],
              X_Matrix_Id=matrix["id"], X_Name=rname)
print(f"6. risk import: successful {r.get('successful')}, failed {r.get('failed')}, errors {r.get('errors')}")
expect("risk scenarios imported", (r.get("successful"), r.get("failed")), (len(risks), 0))

# --- read back ------------------------------------------------------------------------------------
print("read back through the REST API:")
ras = [x for x in get_all(f"/requirement-assessments/?compliance_assessment={ca['id']}") if x.get("assessable")]
expect("audit rows (assessable requirement assessments)", len(ras), len(audit))
by_ref = {x["requirement"]["ref_id"] if isinstance(x.get("requirement"), dict) else None: x for x in ras}
rows = {r["ref_id"]: r for r in audit}
got_results = sum(1 for x in ras if x.get("result") == rows.get(x["requirement"].get("ref_id") if isinstance(x.get("requirement"), dict) else "", {}).get("compliance_result"))
if None in by_ref:  # the list gives the requirement as an id only: fetch each
    got_results = 0
    for x in ras:
        full = call("GET", f"/requirement-assessments/{x['id']}/")
        req = full.get("requirement")
        ref = req.get("ref_id") if isinstance(req, dict) else None
        x["_ref"] = ref
        got_results += rows.get(ref, {}).get("compliance_result") == full.get("result")
expect("results as in the sheet", got_results, len(audit))
want_obs = sum(1 for r in audit if r.get("observations"))
expect("observations", sum(1 for x in ras if (x.get("observation") or "").strip()), want_obs)
want_scores = [r["score"] for r in audit if r.get("score") is not None]
scored = [x for x in ras if x.get("is_scored") and x.get("score") is not None]
expect("scored rows (score visible, Scored ticked)", len(scored), len(want_scores))
expect("not-assessed rows left unscored", sum(1 for x in ras if x.get("result") == "not_assessed" and x.get("is_scored")), 0)
expect("sum of scores", sum(x["score"] for x in scored), int(sum(want_scores)))
score = call("GET", f"/compliance-assessments/{ca['id']}/global_score/")
mean = sum(want_scores) / len(want_scores)
expect("global score is the mean of the sheet's scores (not-assessed rows out)", abs((score or {}).get("implementation_score", -99) - mean) < 1, True)
print(f"       global score {score.get('implementation_score')}, mean of the sheet's {len(want_scores)} scores {mean:.2f}")
guarded = [x["observation"] for x in ras if (x.get("observation") or "").startswith("'")]
expect("observations starting with a guard character", len(guarded), 0)
acs = [a for a in get_all(f"/applied-controls/?folder={domain['id']}")]
acs = [a for a in acs if (a.get("folder") or {}).get("id", a.get("folder")) == domain["id"]]
refs = {c["ref_id"] for c in controls}
dash = [a.get("observation") for a in acs if (a.get("observation") or "").lstrip("'").startswith("- call")]
expect("an applied control's observation starting with '-' arrives as typed", dash, ["- call the insurer first"])
expect("applied controls in the domain", len(acs), len(controls))
expect("applied controls from the sheet (ACT-n)", sum(1 for a in acs if a.get("ref_id") in refs), len(controls))
owned = sum(1 for a in acs if a.get("owner"))
want_owned = sum(1 for c in controls if any(o.strip() in users + teams for o in (c.get("owner") or "").split(";")))
expect("applied controls with their owner", owned, want_owned)
csf = {a["ref_id"]: str(a.get("csf_function") or "").lower() for a in acs}  # the API gives the label
expect("csf_function as in the sheet", sum(1 for c in controls if csf.get(c["ref_id"]) == c.get("csf_function")), len(controls))
ra_obj = next(x for x in get_all(f"/risk-assessments/?perimeter={perimeter['id']}") if x["name"] == rname)
scs = [call("GET", f"/risk-scenarios/{s['id']}/") for s in get_all(f"/risk-scenarios/?risk_assessment={ra_obj['id']}")]


def rated(v):
    return isinstance(v, dict) and v.get("value", -1) not in (None, -1)


expect("risk scenarios", len(scs), len(risks))
expect("with current likelihood and impact", sum(1 for s in scs if rated(s.get("current_proba")) and rated(s.get("current_impact"))), len(risks))
want_res = sum(1 for r in risks if r.get("residual_proba") and r.get("residual_impact"))
expect("with residual likelihood and impact", sum(1 for s in scs if rated(s.get("residual_proba")) and rated(s.get("residual_impact"))), want_res)
want_links = sum(len([x for x in ((r.get("existing_applied_controls") or "") + "\n" + (r.get("additional_controls") or "")).split("\n") if x]) for r in risks)
links = [l for s in scs for l in (s.get("applied_controls") or []) + (s.get("existing_applied_controls") or [])]
ac_by_id = {a["id"]: a for a in acs}
expect("links from risks to applied controls", len(links), want_links)
expect("links that point to an imported ACT-n", sum(1 for l in links if ac_by_id.get(l.get("id") if isinstance(l, dict) else l, {}).get("ref_id") in refs), want_links)

# 7. the findings: one findings assessment per audit, named as the README's command names it
findings_files = sorted(f for f in os.listdir(H) if f.startswith("findings-") and f.endswith(".xlsx"))
expect("findings sheets in the folder", findings_files, ["findings-AUD-1.xlsx"])
want_map = {"F-1": ("critical", "in_progress"), "F-2": ("high", "confirmed"), "F-3": ("low", "identified")}
for f in findings_files:
    rows_f = sheet(os.path.join(H, f))
    m = re.search(r"--file " + re.escape(f) + r" --perimeter \"<perimeter>\" --name '([^']*)'", readme)
    expect(f"README step 7 names the command for {f}", bool(m), True)
    fname = (m.group(1) if m else f) + f" {STAMP}"
    r = load_file(os.path.join(H, f), "FindingsAssessment", X_Perimeter_Id=perimeter["id"], X_Name=fname)
    print(f"7. {f} import: successful {r.get('successful')}, failed {r.get('failed')}, errors {r.get('errors')}")
    expect(f"findings imported from {f}", (r.get("successful"), r.get("failed")), (len(rows_f), 0))
    fa = next(x for x in get_all(f"/findings-assessments/?perimeter={perimeter['id']}") if x["name"] == fname)
    got = call("PATCH", f"/findings-assessments/{fa['id']}/", {"category": "audit"})
    expect("findings assessment category set to audit", (got or {}).get("category"), "audit")
    back = {x["ref_id"]: x for x in get_all(f"/findings/?findings_assessment={fa['id']}")}
    expect("findings read back", len(back), len(rows_f))
    sev = lambda v: str(v).lower()
    expect("severity and status as in the sheet",
           sum(1 for row in rows_f if (sev(back.get(row["ref_id"], {}).get("severity")), back.get(row["ref_id"], {}).get("status")) == (row["severity"], row["status"])),
           len(rows_f))
    expect("severity and status by the documented mapping",
           {k: (sev(v.get("severity")), v.get("status")) for k, v in back.items()}, want_map)
    expect("nonconformity follow-up in the observation", sum(1 for x in back.values() if (x.get("observation") or "").startswith("Nonconformity NC-")), 2)
    expect("due date of NC-1", back.get("F-1", {}).get("due_date"), "2027-02-28")
    expect("statements starting with - or = arrive as typed",
           sorted((back.get(k, {}).get("description") or "")[:1] for k in ("F-2", "F-3")), ["-", "="])
    labels = {k: sorted(l.get("str") for l in v.get("filtering_labels") or []) for k, v in back.items()}
    expect("labels of F-1", labels.get("F-1"), ["AUD-1", "isms-ready", "major-nonconformity"])
    r = load_file(os.path.join(H, f), "FindingsAssessment", X_Target_Id=fa["id"], X_On_Conflict="update")
    expect("re-import into the same findings assessment: findings updated", (r.get("updated"), r.get("failed")), (len(rows_f), 0))
    expect("findings after the re-import", len(get_all(f"/findings/?findings_assessment={fa['id']}")), len(rows_f))

# --- the way back ------------------------------------------------------------------------------------
export = os.path.join(WORK, f"{name}.xlsx")
open(export, "wb").write(call("GET", f"/compliance-assessments/{ca['id']}/xlsx/", raw=True))
out = subprocess.run([BIN, "import", export], capture_output=True, text=True)
print(f"way back: isms-ready import of the audit's XLSX export: {out.stdout.strip() or out.stderr.strip()}")
expect("isms-ready import exit code", out.returncode, 0)
# ... and the hand-over again into the same audit
before = len(get_all(f"/compliance-assessments/?perimeter={perimeter['id']}"))
r = load_file(os.path.join(H, "audit.xlsx"), "ComplianceAssessment", X_Target_Id=ca["id"])
after = len(get_all(f"/compliance-assessments/?perimeter={perimeter['id']}"))
expect("re-import into the same audit (X-Target-Id): rows updated", (r.get("successful"), r.get("failed")), (len(audit), 0))
expect("audits in the perimeter after the re-import", after, before)
print(f"CISO Assistant at {API}: audit {ca['id']}, risk assessment {ra_obj['id']}")
if failures:
    sys.exit(f"check_ciso_handover: FAILED: {', '.join(failures)}")
print("check_ciso_handover: PASSED")
PY
