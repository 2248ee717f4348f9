<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ConsentPage</name>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="27"/>
        <source>Xin phép ghi thông tin</source>
        <translation>Asking permission to record information</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="29"/>
        <source>Đọc cho người dân nghe nội dung sau trước khi ghi bất cứ thông tin cá nhân nào:</source>
        <translation>Read the following aloud to the person before recording any personal information:</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="38"/>
        <source>Những thông tin được đồng ý ghi</source>
        <translation>Information the person agrees to have recorded</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="51"/>
        <source>Họ tên cha/mẹ hoặc người giám hộ</source>
        <translation>Full name of parent or guardian</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="54"/>
        <source>Người đồng ý</source>
        <translation>Consent given by</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="55"/>
        <source>Cha/mẹ, người giám hộ</source>
        <translation>Parent or guardian</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="56"/>
        <source>Trẻ dưới 7 tuổi: cha/mẹ đồng ý. Từ 7 tuổi đến dưới 18 tuổi: cả người đó và cha/mẹ cùng đồng ý.</source>
        <translation>Children under 7: a parent gives consent. From 7 to under 18: both the child and a parent give consent.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="61"/>
        <source>Tôi đã đọc nội dung trên và người dân đồng ý</source>
        <translation>I have read the above aloud and the person agrees</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="65"/>
        <source>Ghi nhận đồng ý</source>
        <translation>Record consent</translation>
    </message>
</context>
<context>
    <name>HouseholdDetail</name>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="44"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="44"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="44"/>
        <source>Quan hệ</source>
        <translation>Relationship</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="45"/>
        <source>Số định danh</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="45"/>
        <source>VNeID</source>
        <translation>VNeID</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="54"/>
        <source>Thêm thành viên</source>
        <translation>Add member</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="56"/>
        <source>Xem/sửa thành viên</source>
        <translation>View/edit member</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="64"/>
        <source>Chọn một hộ trong danh sách, hoặc đăng ký hộ mới.</source>
        <translation>Select a household from the list, or register a new household.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="89"/>
        <source>(chưa có tên chủ hộ)</source>
        <translation>(no head of household name yet)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="95"/>
        <source>(đã xóa theo yêu cầu)</source>
        <translation>(erased on request)</translation>
    </message>
</context>
<context>
    <name>HouseholdForm</name>
    <message>
        <location filename="../../src/fieldkit/ui/household_form.py" line="22"/>
        <source>Số nhà, xóm, thôn…</source>
        <translation>House number, hamlet, village…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_form.py" line="26"/>
        <source>Ví dụ: nhà cuối dốc, đi qua suối</source>
        <translation>E.g. last house up the slope, across the stream</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_form.py" line="32"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_form.py" line="33"/>
        <source>Điện thoại của hộ</source>
        <translation>Household phone</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_form.py" line="34"/>
        <source>Ghi chú</source>
        <translation>Notes</translation>
    </message>
</context>
<context>
    <name>HouseholdTableModel</name>
    <message>
        <location filename="../../src/fieldkit/ui/household_table.py" line="33"/>
        <source>Chủ hộ</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_table.py" line="33"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_table.py" line="33"/>
        <source>Số người</source>
        <translation>Members</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_table.py" line="34"/>
        <source>Điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_table.py" line="80"/>
        <source>(chưa có tên chủ hộ)</source>
        <translation>(no head of household name yet)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="58"/>
        <location filename="../../src/fieldkit/ui/main_window.py" line="65"/>
        <source>Thôn/bản</source>
        <translation>Villages</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="60"/>
        <source>Thêm thôn/bản</source>
        <translation>Add village</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="72"/>
        <source>Tìm theo tên, số định danh hoặc số điện thoại…</source>
        <translation>Search by name, ID number or phone number…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="74"/>
        <source>Tìm hộ</source>
        <translation>Search households</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="93"/>
        <source>Đăng ký hộ mới</source>
        <translation>Register new household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="125"/>
        <source>&amp;Tệp</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="126"/>
        <source>Khóa máy</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="129"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="134"/>
        <source>&amp;Hiển thị</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="135"/>
        <source>Chữ lớn</source>
        <translation>Large text</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="140"/>
        <source>Tự khóa khi không dùng</source>
        <translation>Lock when idle</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="142"/>
        <source>Sau {n} phút</source>
        <translation>After {n} minutes</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="148"/>
        <source>Ngôn ngữ</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="158"/>
        <source>Máy chưa được thiết lập tình nguyện viên và xã.</source>
        <translation>This computer has not been set up with a volunteer and commune yet.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="162"/>
        <source>Chờ đồng bộ: {n} thay đổi</source>
        <translation>Changes waiting to sync: {n}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="181"/>
        <source>Ngôn ngữ mới được dùng từ lần mở FieldKit sau. / The new language applies the next time FieldKit starts.</source>
        <translation>The new language applies the next time FieldKit starts. / Ngôn ngữ mới được dùng từ lần mở FieldKit sau.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="189"/>
        <source>Tất cả thôn/bản</source>
        <translation>All villages</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="218"/>
        <source>{n} hộ</source>
        <translation>Households: {n}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="221"/>
        <source>Chọn một thôn/bản trước.</source>
        <translation>Select a village first.</translation>
    </message>
</context>
<context>
    <name>PersonDialog</name>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="52"/>
        <source>Rút lại đồng ý và xóa thông tin</source>
        <translation>Withdraw consent and erase information</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="56"/>
        <source>Xong</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="68"/>
        <source>Thông tin thành viên</source>
        <translation>Member details</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="71"/>
        <source>Đăng ký hộ mới</source>
        <translation>Register new household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="73"/>
        <source>Thêm thành viên</source>
        <translation>Add member</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="98"/>
        <source>Người này đã rút lại đồng ý; thông tin cá nhân đã được xóa. Muốn ghi lại, hãy thêm thành viên mới và xin đồng ý lại.</source>
        <translation>This person has withdrawn consent; their personal information has been erased. To record them again, add a new member and ask for consent again.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="108"/>
        <source>Thông tin của hộ</source>
        <translation>Household details</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="128"/>
        <source>Rút lại đồng ý</source>
        <translation>Withdraw consent</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="129"/>
        <source>Xóa toàn bộ thông tin cá nhân của người này? Việc xóa cũng được đồng bộ lên máy chủ của xã và không hoàn tác được.</source>
        <translation>Erase all of this person&apos;s personal information? The erasure is also synced to the commune server and cannot be undone.</translation>
    </message>
</context>
<context>
    <name>PersonForm</name>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="60"/>
        <source>Quét mã QR trên thẻ căn cước, hoặc dán dòng mã</source>
        <translation>Scan the QR code on the chip ID card, or paste the code line</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="61"/>
        <source>Quét thẻ căn cước</source>
        <translation>Scan chip ID card</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="70"/>
        <source>12 chữ số</source>
        <translation>12 digits</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="72"/>
        <source>ngày/tháng/năm, ví dụ 15/03/1985</source>
        <translation>day/month/year, e.g. 15/03/1985</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="85"/>
        <source>Có điện thoại thông minh</source>
        <translation>Has a smartphone</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="86"/>
        <source>Điện thoại có NFC (đọc chip thẻ căn cước)</source>
        <translation>Phone has NFC (can read the chip ID card)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="93"/>
        <source>Mọi thông tin được lưu ngay khi nhập xong từng ô.</source>
        <translation>Each field is saved as soon as you finish entering it.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="97"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="98"/>
        <source>Số định danh cá nhân</source>
        <translation>Personal ID number</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="99"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="101"/>
        <source>Giới tính</source>
        <translation>Gender</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="102"/>
        <source>Dân tộc</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="103"/>
        <source>Số điện thoại</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="104"/>
        <source>Quan hệ với chủ hộ</source>
        <translation>Relationship to head of household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="108"/>
        <source>Tài khoản VNeID</source>
        <translation>VNeID account</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="114"/>
        <source>Quét thẻ</source>
        <translation>Scan card</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="192"/>
        <source>Đã điền từ thẻ căn cước và lưu.</source>
        <translation>Filled in from the chip ID card and saved.</translation>
    </message>
</context>
<context>
    <name>QLabel</name>
    <message>
        <location filename="../../src/fieldkit/ui/autosave.py" line="87"/>
        <source>Đã lưu lúc {time}</source>
        <translation>Saved at {time}</translation>
    </message>
</context>
<context>
    <name>SetupWindow</name>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="35"/>
        <source>FieldKit – thiết lập lần đầu</source>
        <translation>FieldKit – first-time setup</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="37"/>
        <source>Chào mừng đến với FieldKit</source>
        <translation>Welcome to FieldKit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="39"/>
        <source>Thiết lập máy này một lần: tên của bạn, xã bạn hỗ trợ và một cụm mật khẩu để mã hóa dữ liệu.</source>
        <translation>Set up this computer once: your name, the commune you support, and a passphrase to encrypt the data.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="48"/>
        <source>– Chọn tỉnh/thành phố –</source>
        <translation>– Select province/city –</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="62"/>
        <source>Hãy ghi nhớ cụm mật khẩu. Nếu quên, không ai khôi phục được dữ liệu chưa đồng bộ lên máy chủ của xã, kể cả đội kỹ thuật.</source>
        <translation>Remember your passphrase. If you forget it, nobody, not even the technical team, can recover data that has not yet been synced to the commune server.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="68"/>
        <source>Họ và tên tình nguyện viên</source>
        <translation>Volunteer&apos;s full name</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="69"/>
        <source>Số điện thoại</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="70"/>
        <source>Tỉnh/thành phố</source>
        <translation>Province/city</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="71"/>
        <source>Xã/phường</source>
        <translation>Commune/ward</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="72"/>
        <source>Cụm mật khẩu (ít nhất 8 ký tự)</source>
        <translation>Passphrase (at least 8 characters)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="73"/>
        <source>Nhập lại cụm mật khẩu</source>
        <translation>Repeat passphrase</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="82"/>
        <source>Tạo kho dữ liệu và bắt đầu</source>
        <translation>Create the data store and start</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="114"/>
        <source>Hãy nhập họ và tên của bạn.</source>
        <translation>Please enter your full name.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="119"/>
        <source>Hãy chọn tỉnh rồi chọn xã/phường trong danh sách.</source>
        <translation>Please select a province, then a commune/ward from the list.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="126"/>
        <source>Cụm mật khẩu cần ít nhất 8 ký tự.</source>
        <translation>The passphrase must be at least 8 characters long.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="128"/>
        <source>Hai lần nhập cụm mật khẩu không khớp nhau.</source>
        <translation>The two passphrases do not match.</translation>
    </message>
</context>
<context>
    <name>UnlockWindow</name>
    <message>
        <location filename="../../src/fieldkit/ui/unlock_window.py" line="28"/>
        <source>Mở khóa FieldKit</source>
        <translation>Unlock FieldKit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/unlock_window.py" line="30"/>
        <source>Nhập cụm mật khẩu của bạn. Dữ liệu trên máy được mã hóa.</source>
        <translation>Enter your passphrase. The data on this computer is encrypted.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/unlock_window.py" line="35"/>
        <location filename="../../src/fieldkit/ui/unlock_window.py" line="36"/>
        <source>Cụm mật khẩu</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/unlock_window.py" line="41"/>
        <source>Mở khóa</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/unlock_window.py" line="58"/>
        <source>Hãy nhập cụm mật khẩu.</source>
        <translation>Please enter your passphrase.</translation>
    </message>
</context>
<context>
    <name>VillageDialog</name>
    <message>
        <location filename="../../src/fieldkit/ui/village_dialog.py" line="28"/>
        <source>Thêm thôn/bản</source>
        <translation>Add village</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/village_dialog.py" line="33"/>
        <source>Ví dụ: Thôn Nà Hang</source>
        <translation>E.g. Thôn Nà Hang</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/village_dialog.py" line="42"/>
        <source>Loại</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/village_dialog.py" line="43"/>
        <source>Tên</source>
        <translation>Name</translation>
    </message>
</context>
<context>
    <name>VisitPanel</name>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="44"/>
        <source>Buổi hỗ trợ</source>
        <translation>Support visit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="52"/>
        <source>Bắt đầu buổi hỗ trợ</source>
        <translation>Start support visit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="67"/>
        <source>Ghi chú buổi hỗ trợ (không ghi mật khẩu, mã OTP)</source>
        <translation>Support visit notes (never write down passwords or OTP codes)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="75"/>
        <source>– Kết quả buổi hỗ trợ –</source>
        <translation>– Support visit outcome –</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="78"/>
        <source>Kết thúc buổi hỗ trợ</source>
        <translation>End support visit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="95"/>
        <source>Các buổi trước</source>
        <translation>Previous visits</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="114"/>
        <source>Đang hỗ trợ từ {time}</source>
        <translation>Support visit in progress since {time}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="124"/>
        <source>Chưa có buổi hỗ trợ nào đang mở.</source>
        <translation>No support visit is in progress.</translation>
    </message>
</context>
</TS>
