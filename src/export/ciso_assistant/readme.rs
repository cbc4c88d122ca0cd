//! The hand-over folder's README: what is in it, how to import it into CISO Assistant step by
//! step, how to update the same audit later, and the rules.

use super::*;

/// The owners named in the applied controls, each once, in order: CISO Assistant matches an
/// entry with `@` to a user's e-mail, any other to a team's name, and drops one it does not find.
pub fn owners(handover: &Handover) -> (Vec<String>, Vec<String>) {
    let mut users: Vec<String> = Vec::new();
    let mut teams: Vec<String> = Vec::new();
    for control in &handover.applied_controls {
        for owner in control
            .owner
            .split(';')
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            let list = if owner.contains('@') {
                &mut users
            } else {
                &mut teams
            };
            if !list.iter().any(|known| known.eq_ignore_ascii_case(owner)) {
                list.push(owner.to_string());
            }
        }
    }
    (users, teams)
}

/// The folder's README: what is in it, how to import it step by step, and the rules.
pub fn readme(report: &Report, audit: &[AuditRow], handover: &Handover) -> String {
    let framework = framework(&report.standard_id).unwrap_or(ISO27001_2022);
    let mut out = String::new();
    let name = crate::text::for_markdown(&report.assessment.name);
    out.push_str(&format!(
        "# Hand-over of \"{name}\" to CISO Assistant\n\n\
         Written by isms-ready on {} from the assessment \"{name}\" ({}). Tested by importing it into\n\
         CISO Assistant Community at commit {} (August 2026) as written here, and reading it back.\n\n",
        report.date.format("%Y-%m-%d"),
        report.standard_id,
        &TESTED_COMMIT[..8]
    ));
    if framework.questionnaire != QUESTIONNAIRE {
        out.push_str(
            "This is a 2013 assessment: it goes to CISO Assistant's 2013 framework. Certification to\n\
             ISO/IEC 27001:2013 ended in October 2025; `isms-ready migrate` makes the 2022 assessment\n\
             whose hand-over goes to the 2022 framework.\n\n",
        );
    }
    out.push_str("## Files\n\n");
    out.push_str(&format!(
        "- `audit.xlsx` - the audit (compliance assessment) of CISO Assistant's framework \"{}\": {} rows, the {} sub-clauses of clauses 4-10 and the {} Annex A controls.\n",
        framework.name,
        audit.len(),
        framework.clause_nodes.len(),
        audit.len() - framework.clause_nodes.len()
    ));
    if handover.applied_controls.is_empty() {
        out.push_str("- no applied-controls sheet: the assessment has no actions yet.\n");
    } else {
        out.push_str(&format!(
            "- `applied-controls.xlsx` - {} applied controls, our actions (`ACT-1` ...).\n",
            handover.applied_controls.len()
        ));
    }
    if handover.risks.is_empty() {
        out.push_str(
            "- no risk-assessment sheet and no matrix: the assessment has no risk register yet.\n",
        );
    } else {
        out.push_str(&format!(
            "- `{MATRIX_FILE}` - a CISO Assistant library holding the risk matrix \"{MATRIX_NAME}\": likelihood and impact levels `Very low` ... `Very high` (with the level ids the import needs) and our ratings low, medium, high, critical.\n\
             - `risk-assessment.xlsx` - {} risk scenarios rated on that matrix, each linked to the applied controls (`ACT-n`) that treat it.\n",
            handover.risks.len()
        ));
    }
    for sheet in &handover.findings {
        out.push_str(&format!(
            "- `{}` - the {} findings of the audit {} \"{}\", for a findings assessment of their own.\n",
            sheet.file_name(),
            sheet.rows.len(),
            sheet.audit_id,
            crate::text::for_markdown(&sheet.audit_title)
        ));
    }
    if handover.findings.is_empty() {
        out.push_str("- no findings sheet: no audit of the assessment has findings yet.\n");
    }
    out.push_str(
        "\nOnly `.xlsx`: CISO Assistant's Data wizard reads only `.xls`/`.xlsx`, and its CSV import would keep a\n\
         spreadsheet's formula guard (a leading `'`) as text. A cell that looks like a formula is marked as text\n\
         in the XLSX files by the cell's quote-prefix style, not by a character in its value.\n",
    );
    out.push_str(&before_you_start(handover));
    out.push_str(&import_steps(framework, audit, handover));
    out.push_str(&findings_step(handover));
    out.push_str(UPDATING);
    out.push_str("\n## From isms-ready levels to CISO Assistant results\n\n");
    for line in RULE {
        out.push_str(&format!("- {line}\n"));
    }
    out.push_str(&format!("- {CSF_RULE}\n"));
    for line in RISK_RULE {
        out.push_str(&format!("- {line}\n"));
    }
    out.push_str("\n## From isms-ready findings to CISO Assistant findings\n\n");
    for line in FINDINGS_RULE {
        out.push_str(&format!("- {line}\n"));
    }
    out.push_str(&format!(
        "\nWhat does not reach CISO Assistant: {FINDINGS_NOT_CARRIED}\n"
    ));
    out.push_str("\n## Which isms-ready items fall into each sub-clause\n\n");
    out.push_str("| ref_id | isms-ready items |\n|---|---|\n");
    for row in audit.iter().filter(|row| !row.ref_id.starts_with("A.")) {
        out.push_str(&format!(
            "| {} | {} |\n",
            row.ref_id,
            row.items
                .iter()
                .map(|item| format!("`{item}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push_str("\nEach Annex A control `A.x.y` is one isms-ready item with the same ref.\n");
    out
}

pub(super) fn before_you_start(handover: &Handover) -> String {
    let mut out = String::from(
        "\n## Before you start\n\n\
         - A CISO Assistant user allowed to import into the target domain, and a perimeter in that domain\n\
         \x20 (Organization -> Perimeters). Applied controls go into the perimeter's domain, so the risk\n\
         \x20 scenarios (imported into the perimeter) find them.\n\
         - For `clica` (CISO Assistant's command line, `cli/clica.py` in its repository): a personal access\n\
         \x20 token, and a `.clica.env` in the folder you run it from with `API_URL=https://<host>/api` and\n\
         \x20 `TOKEN=<token>`. The `curl` commands below use the same two values as `$API_URL` and `$TOKEN`.\n",
    );
    let (users, teams) = owners(handover);
    if users.is_empty() && teams.is_empty() {
        out.push_str("- No owners: no applied control names an owner.\n");
    } else {
        out.push_str(
            "- The owners the applied controls name, created before step 4 (an owner CISO Assistant does\n\
             \x20 not know is dropped without a message in the import's answer):\n",
        );
        for user in &users {
            out.push_str(&format!(
                "  - user with the e-mail `{}` (Organization -> Users)\n",
                crate::text::for_terminal_line(user).replace('`', "'")
            ));
        }
        for team in &teams {
            out.push_str(&format!(
                "  - team named `{}` (Organization -> Teams), or change the owner in the sheet to a user's e-mail or a team's name\n",
                crate::text::for_terminal_line(team).replace('`', "'")
            ));
        }
    }
    out
}

pub(super) fn import_steps(
    framework: Framework,
    audit: &[AuditRow],
    handover: &Handover,
) -> String {
    let not_assessed: Vec<&str> = audit
        .iter()
        .filter(|row| row.compliance_result == ComplianceResult::NotAssessed)
        .map(|row| row.ref_id.as_str())
        .collect();
    let scored = audit.iter().filter(|row| row.score.is_some()).count();
    let mut out = format!(
        "
## Importing into CISO Assistant, in this order

### 1. The framework and its id

Load the framework if it is not loaded: Catalog -> Libraries -> \"{name}\" -> Load. The audit import
needs the framework's id (a UUID): `clica` at this version does not take its name (it asks an endpoint
that does not exist, and answers `something went wrong. check authentication.`). Either open the
framework in Catalog -> Frameworks, its id is the last part of the page's address, or ask the API:

```sh
curl -s -H \"Authorization: Token $TOKEN\" \"$API_URL/frameworks/?search=27001\" | python3 -c 'import json,sys; print(next(f[\"id\"] for f in json.load(sys.stdin)[\"results\"] if f[\"urn\"] == \"{urn}\"))'
```

### 2. The audit

```sh
python3 clica.py import-compliance-assessments --file audit.xlsx --framework <framework id> --perimeter \"<perimeter>\" --name \"<audit name>\"
```

`--perimeter` is required although `clica --help` does not list it: without it the server creates
nothing and answers `A folder must be specified when there's no perimeter!`. `clica` exits 0 even when
rows fail: check that the answer says `\"successful\": {rows}` and `\"failed\": 0`. (Data wizard, Pro
edition: Extra -> Data wizard, model \"Audit\", the perimeter and the framework, upload `audit.xlsx`.)

### 3. Show the scores, and keep the not-assessed rows out of them

A new audit hides the Score field: the {scored} scores are stored but read as empty. Edit the audit
and make Score visible (field visibility: auditor edit), or through the API:

```sh
curl -s -X PATCH -H \"Authorization: Token $TOKEN\" -H 'Content-Type: application/json' \"$API_URL/compliance-assessments/<audit id>/\" \\
  -d '{{\"field_visibility\": {{\"score\": {{\"auditor\": \"edit\", \"respondent\": \"hidden\"}}, \"is_scored\": {{\"auditor\": \"edit\", \"respondent\": \"hidden\"}}}}}}'
```

Showing the scores marks every row scored and gives the rows without a score the minimum, 0, which
would count the not-assessed rows as failed. Untick \"Scored\" on each `not_assessed` row",
        name = framework.name,
        urn = framework.urn,
        rows = audit.len(),
    );
    if not_assessed.is_empty() {
        out.push_str(" (this audit has none).\n");
    } else {
        out.push_str(&format!(
            " ({}: {}), or through the API:\n\n\
             ```sh\n\
             curl -s -H \"Authorization: Token $TOKEN\" \"$API_URL/requirement-assessments/?compliance_assessment=<audit id>&result=not_assessed&page_size=500\" \\\n\
             \x20 | python3 -c 'import json,sys; print(\"\\n\".join(r[\"id\"] for r in json.load(sys.stdin)[\"results\"] if r[\"assessable\"]))' \\\n\
             \x20 | while read id; do curl -s -o /dev/null -X PATCH -H \"Authorization: Token $TOKEN\" -H 'Content-Type: application/json' \\\n\
             \x20     \"$API_URL/requirement-assessments/$id/\" -d '{{\"is_scored\": false}}'; done\n\
             ```\n",
            not_assessed.len(),
            not_assessed.join(", ")
        ));
    }
    if handover.applied_controls.is_empty() {
        out.push_str("\n### 4. The applied controls\n\nNone in this hand-over.\n");
    } else {
        out.push_str(&format!(
            "\n### 4. The applied controls\n\n\
             ```sh\n\
             python3 clica.py import-applied-controls --file applied-controls.xlsx --folder \"<domain of the perimeter>\"\n\
             ```\n\n\
             Check `\"successful\": {}`. A control whose name already exists in the domain stops the import:\n\
             add `--on-conflict skip` or `--on-conflict update`. (Data wizard: model \"Applied controls\", the domain.)\n",
            handover.applied_controls.len()
        ));
    }
    if handover.risks.is_empty() {
        out.push_str(
            "\n### 5. and 6. The risk matrix and the risk assessment\n\nNone in this hand-over.\n",
        );
    } else {
        out.push_str(&format!(
            "\n### 5. The risk matrix\n\n\
             Catalog -> Libraries -> Upload library -> `{MATRIX_FILE}`, then Load the library \"{MATRIX_NAME}\"; or:\n\n\
             ```sh\n\
             curl -s -X POST -H \"Authorization: Token $TOKEN\" -H 'Content-Disposition: attachment; filename=\"{MATRIX_FILE}\"' --data-binary @{MATRIX_FILE} \"$API_URL/stored-libraries/upload/\"\n\
             curl -s -X POST -H \"Authorization: Token $TOKEN\" \"$API_URL/stored-libraries/{MATRIX_LIBRARY_URN}/import/\"\n\
             ```\n\n\
             An answer `This library has already been loaded` means an earlier hand-over loaded it: go on.\n\
             Without it the ratings are lost: the import matches `Very low` ... `Very high` to a matrix level's\n\
             `id`, and the matrices CISO Assistant ships with these names have none, so every rating would be\n\
             stored as not rated, with no error.\n\n\
             ### 6. The risk assessment\n\n\
             ```sh\n\
             python3 clica.py import-risk-assessment --file risk-assessment.xlsx --perimeter \"<perimeter>\" --matrix \"{MATRIX_NAME}\" --name \"<risk assessment name>\"\n\
             ```\n\n\
             Check `\"successful\": {}` and no warning `Could not resolve controls`. The import links each scenario\n\
             to the applied controls named by `ref_id` in `existing_applied_controls` (done actions) and\n\
             `additional_controls` (open ones), found in the perimeter's domain: import step 4 first, or the\n\
             import creates empty controls named `ACT-n` instead. (Data wizard: model \"Risk assessment\", the\n\
             perimeter and the matrix \"{MATRIX_NAME}\".)\n",
            handover.risks.len()
        ));
    }
    out
}

/// Importing a later hand-over of the same assessment into the audit made by the first one.
pub const UPDATING: &str = "
### Later: updating the same audit

After the next workshop, export the hand-over again and import its `audit.xlsx` into the audit you
already have instead of making a second one: CISO Assistant's import takes the audit's id in the
header `X-Target-Id` (the Data wizard and `clica` at this version do not offer it):

```sh
curl -s -X POST -H \"Authorization: Token $TOKEN\" -H 'X-Model-Type: ComplianceAssessment' -H 'X-Target-Id: <audit id>' \\
  -H 'Content-Disposition: attachment; filename=\"audit.xlsx\"' --data-binary @audit.xlsx \"$API_URL/data-wizard/load-file/\"
```

Each row updates the requirement with the same `ref_id`: its result, progress, score and observation.
An empty cell changes nothing, so a row that lost its score (now not assessed or not applicable) keeps
the old one: untick Scored on it as in step 3. Applied controls: step 4 again with `--on-conflict update`
(matched by name in the domain). Risk scenarios: the same request with `X-Model-Type: RiskAssessment`
and the risk assessment's id in `X-Target-Id` updates the scenarios with the same `ref_id`. Findings:
the same request with `X-Model-Type: FindingsAssessment`, the findings assessment's id in `X-Target-Id`
and `X-On-Conflict: update` updates the findings with the same `ref_id` (`F-n`) and adds the new ones
(without `X-On-Conflict: update` it stops at the first finding already there: `Record already exists`).
";

/// Shell-quotes a value for a command line in the README (single quotes; control characters out).
fn shell_quoted(value: &str) -> String {
    let line = crate::text::for_terminal_line(value);
    format!("'{}'", line.replace('\'', "'\\''"))
}

/// Step 7: one findings assessment per audit.
pub(super) fn findings_step(handover: &Handover) -> String {
    if handover.findings.is_empty() {
        return "\n### 7. The findings of the audits\n\nNone in this hand-over.\n".to_string();
    }
    let mut out = String::from(
        "\n### 7. The findings of the audits\n\n\
         Each audit with findings becomes a findings assessment (CISO Assistant's \"follow-up\") in the\n\
         perimeter, named after the audit. One command per file:\n\n```sh\n",
    );
    for sheet in &handover.findings {
        out.push_str(&format!(
            "python3 clica.py import-findings-assessments --file {} --perimeter \"<perimeter>\" --name {}\n",
            sheet.file_name(),
            shell_quoted(&sheet.assessment_name())
        ));
    }
    out.push_str("```\n\n");
    let counts = handover
        .findings
        .iter()
        .map(|sheet| format!("`{}` {}", sheet.file_name(), sheet.rows.len()))
        .collect::<Vec<_>>()
        .join(", ");
    out.push_str(&format!(
        "Check `\"successful\"` ({counts}) and `\"failed\": 0` in each answer. `--perimeter` is required here.\n\
         (Data wizard, Pro edition: the findings assessment import, the perimeter.) Optionally mark each one as an audit's\n\
         follow-up (the import cannot set its category):\n\n\
         ```sh\n\
         curl -s -X PATCH -H \"Authorization: Token $TOKEN\" -H 'Content-Type: application/json' \"$API_URL/findings-assessments/<findings assessment id>/\" -d '{{\"category\": \"audit\"}}'\n\
         ```\n"
    ));
    out
}
