//! Masking of personal data for every place that does not need it in full.

/// `13812345678` → `138****5678`; a landline `0851-12345678[-801]` → `0851-****5678`
/// (area code and last four digits); no phone → empty. Anything else is masked whole.
pub fn mask_mobile(mobile: &str) -> String {
    let chars: Vec<char> = mobile.chars().collect();
    if let Some((area, rest)) = mobile.split_once('-') {
        let number = rest.split('-').next().unwrap_or_default();
        if number.len() > 4 {
            return format!("{area}-{}{}", "*".repeat(number.len() - 4), &number[number.len() - 4..]);
        }
    }
    if chars.is_empty() {
        return String::new();
    }
    if chars.len() != 11 {
        return "*".repeat(chars.len().max(4));
    }
    format!("{}****{}", chars[..3].iter().collect::<String>(), chars[7..].iter().collect::<String>())
}

/// `11010519491231002X` → `110105********002X`.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() != 18 {
        return "*".repeat(chars.len().max(4));
    }
    format!("{}********{}", chars[..6].iter().collect::<String>(), chars[14..].iter().collect::<String>())
}

/// `张三` → `张*`, `欧阳娜娜` → `欧***`: the family name stays, so staff can address the person.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_what_identifies_nobody() {
        assert_eq!(mask_mobile("13812345678"), "138****5678");
        assert_eq!(mask_id_number("11010519491231002X"), "110105********002X");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("李"), "李*");
        assert_eq!(mask_mobile("123"), "****");
        assert_eq!(mask_mobile("0851-12345678"), "0851-****5678");
        assert_eq!(mask_mobile("010-6234567-801"), "010-***4567");
        assert_eq!(mask_mobile(""), "");
    }
}
