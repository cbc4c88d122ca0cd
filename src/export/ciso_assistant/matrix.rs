//! The risk matrix the hand-over ships (`risk-matrix.yaml`): a CISO Assistant library whose five
//! level names are the ones the risk sheet uses, rated as isms-ready rates a risk.

/// The risk matrix the hand-over ships, as CISO Assistant's catalogue will name it.
pub const MATRIX_NAME: &str = "isms-ready 5x5";
/// The urn of the library file, and of the matrix in it.
pub const MATRIX_LIBRARY_URN: &str = "urn:isms-ready:risk:library:isms-ready-5x5";
pub const MATRIX_URN: &str = "urn:isms-ready:risk:matrix:isms-ready-5x5";

/// The names a risk's likelihood and impact (1 to 5) take in the hand-over: the level names of
/// [`MATRIX_NAME`], whose levels carry the `id`s 0 to 4 CISO Assistant's import matches them to.
pub const FIVE_LEVELS: [&str; 5] = ["Very low", "Low", "Medium", "High", "Very high"];

/// The matrix's risk levels: our ratings (likelihood x impact: 1-4 low, 5-9 medium, 10-16 high,
/// 20-25 critical), with the colours of our reports.
pub(super) const RISK_LEVELS: [(&str, &str, &str, &str); 4] = [
    (
        "L",
        "Low",
        "likelihood x impact 1-4: accept or treat at the next review",
        "#BBF7D0",
    ),
    (
        "M",
        "Medium",
        "likelihood x impact 5-9: treat within the year",
        "#FEF08A",
    ),
    (
        "H",
        "High",
        "likelihood x impact 10-16: treat as a priority",
        "#FBBF24",
    ),
    (
        "C",
        "Critical",
        "likelihood x impact 20-25: treat now, tell top management",
        "#F87171",
    ),
];

pub(super) const LIKELIHOOD_TEXT: [&str; 5] = [
    "1: not expected in the next years",
    "2: could happen, has not so far",
    "3: expected to happen now and then",
    "4: expected to happen every year",
    "5: expected to happen several times a year",
];

pub(super) const IMPACT_TEXT: [&str; 5] = [
    "1: barely noticed",
    "2: felt by one team, recovered within days",
    "3: felt by several teams or a client, recovered within weeks",
    "4: harms clients, revenue or compliance",
    "5: threatens the organisation",
];

pub(super) const LEVEL_ABBREVIATIONS: [&str; 5] = ["VL", "L", "M", "H", "VH"];
pub(super) const LEVEL_COLOURS: [&str; 5] = ["#BBF7D0", "#BEF264", "#FEF08A", "#FBBF24", "#F87171"];

/// The index in [`RISK_LEVELS`] of likelihood `l` x impact `i` (1-5 each): our rating.
pub fn matrix_cell(likelihood: u8, impact: u8) -> usize {
    use crate::model::registers::RiskRating;
    match RiskRating::of(likelihood.clamp(1, 5) * impact.clamp(1, 5)) {
        RiskRating::Low => 0,
        RiskRating::Medium => 1,
        RiskRating::High => 2,
        RiskRating::Critical => 3,
    }
}

/// `risk-matrix.yaml`: a CISO Assistant library holding one risk matrix, [`MATRIX_NAME`]: five
/// likelihood and five impact levels named as the risk sheet names them, each with its `id`
/// (0-4, which the import needs to match a name), our four risk ratings, and the grid
/// (`grid[likelihood][impact]`) that gives each pair our rating.
pub fn risk_matrix_yaml() -> String {
    let quote = |text: &str| format!("'{}'", text.replace('\'', "''"));
    let mut out = String::new();
    out.push_str(&format!(
        "urn: {MATRIX_LIBRARY_URN}\nlocale: en\nref_id: isms-ready-5x5\nname: {}\n\
         description: {}\ncopyright: isms-ready (MIT)\nversion: 1\npublication_date: 2026-08-01\n\
         provider: isms-ready\npackager: isms-ready\nobjects:\n  risk_matrix:\n  - urn: {MATRIX_URN}\n    \
         ref_id: isms-ready-5x5\n    name: {}\n    description: {}\n",
        quote(MATRIX_NAME),
        quote("The five-level likelihood and impact scales of an isms-ready risk register, and its four ratings"),
        quote(MATRIX_NAME),
        quote("Likelihood and impact 1-5 as rated in an isms-ready workshop; the rating is likelihood x impact")
    ));
    let scale = |out: &mut String, key: &str, texts: &[&str; 5]| {
        out.push_str(&format!("    {key}:\n"));
        for (id, name) in FIVE_LEVELS.iter().enumerate() {
            out.push_str(&format!(
                "    - abbreviation: {}\n      name: {}\n      description: {}\n      hexcolor: {}\n      id: {id}\n",
                LEVEL_ABBREVIATIONS[id],
                quote(name),
                quote(texts[id]),
                quote(LEVEL_COLOURS[id])
            ));
        }
    };
    scale(&mut out, "probability", &LIKELIHOOD_TEXT);
    scale(&mut out, "impact", &IMPACT_TEXT);
    out.push_str("    risk:\n");
    for (id, (abbreviation, name, description, colour)) in RISK_LEVELS.iter().enumerate() {
        out.push_str(&format!(
            "    - abbreviation: {abbreviation}\n      name: {}\n      description: {}\n      hexcolor: {}\n      id: {id}\n",
            quote(name),
            quote(description),
            quote(colour)
        ));
    }
    out.push_str("    grid:\n");
    for likelihood in 1..=5u8 {
        let row = (1..=5u8)
            .map(|impact| matrix_cell(likelihood, impact).to_string())
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&format!("    - [{row}]\n"));
    }
    out
}
