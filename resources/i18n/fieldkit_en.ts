<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../src/fieldkit/ui/about_dialog.py" line="33"/>
        <source>Giới thiệu FieldKit</source>
        <translation>About FieldKit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/about_dialog.py" line="38"/>
        <source>Giúp tình nguyện viên hỗ trợ người dân dùng VNeID và làm thủ tục hành chính, cả khi không có mạng.</source>
        <translation>Helps volunteers assist citizens with VNeID and public services, even without a network.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/about_dialog.py" line="44"/>
        <source>Phiên bản</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/about_dialog.py" line="45"/>
        <source>Giấy phép</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/about_dialog.py" line="48"/>
        <source>Thư mục dữ liệu</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/about_dialog.py" line="56"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>AutoSaver</name>
    <message>
        <location filename="../../src/fieldkit/ui/autosave.py" line="98"/>
        <source>Bản ghi này đã bị xóa nên không lưu được nữa.</source>
        <translation>This record has been removed, so it can no longer be saved.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/autosave.py" line="103"/>
        <source>Đã lưu lúc {time}</source>
        <translation>Saved at {time}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/autosave.py" line="111"/>
        <source>Đây là dòng mã QR của thẻ căn cước, không lưu vào ô này. Hãy quét thẻ vào ô “Quét thẻ” của thành viên.</source>
        <translation>This is the QR line of a chip ID card and is not saved in this field. Scan the card into the member&apos;s “Scan card” field.</translation>
    </message>
</context>
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
        <location filename="../../src/fieldkit/ui/consent_page.py" line="43"/>
        <source>Những thông tin được đồng ý ghi</source>
        <translation>Information the person agrees to have recorded</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="56"/>
        <source>Họ tên cha/mẹ hoặc người giám hộ</source>
        <translation>Full name of parent or guardian</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="59"/>
        <source>Người đồng ý</source>
        <translation>Consent given by</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="60"/>
        <source>Cha/mẹ, người giám hộ</source>
        <translation>Parent or guardian</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="61"/>
        <source>Trẻ dưới 7 tuổi: cha/mẹ đồng ý. Từ 7 tuổi đến dưới 18 tuổi: cả người đó và cha/mẹ cùng đồng ý.</source>
        <translation>Children under 7: a parent gives consent. From 7 to under 18: both the child and a parent give consent.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="66"/>
        <source>Tôi đã đọc nội dung trên và người dân đồng ý</source>
        <translation>I have read the above aloud and the person agrees</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/consent_page.py" line="70"/>
        <source>Ghi nhận đồng ý</source>
        <translation>Record consent</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <location filename="../../src/fieldkit/ui/app.py" line="252"/>
        <source>Cửa sổ này còn một ô chưa lưu được. Hãy sửa hoặc xóa trống ô đó, đóng cửa sổ, rồi chuyển chế độ lại.</source>
        <translation>This window still has a field that could not be saved. Correct it or clear it, close the window, then switch again.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/app.py" line="255"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/app.py" line="418"/>
        <source>Đã xảy ra lỗi ngoài dự kiến: {error}

Những thông tin đã nhập xong vẫn được lưu. Nếu lỗi lặp lại, hãy báo cho cán bộ kỹ thuật của xã.</source>
        <translation>An unexpected error occurred: {error}

Everything already entered is still saved. If the error happens again, tell the commune’s technical officer.</translation>
    </message>
</context>
<context>
    <name>DateInput</name>
    <message>
        <location filename="../../src/fieldkit/ui/form_widgets.py" line="142"/>
        <source>ngày/tháng/năm, ví dụ 15/03/1985</source>
        <translation>day/month/year, e.g. 15/03/1985</translation>
    </message>
</context>
<context>
    <name>DemoBanner</name>
    <message>
        <location filename="../../src/fieldkit/ui/demo_mode.py" line="39"/>
        <source>CHẾ ĐỘ THỰC HÀNH — dữ liệu mẫu, không phải người thật. Không dùng khi làm việc với người dân; không bao giờ đồng bộ.</source>
        <translation>PRACTICE MODE — sample data, not real people. Do not use it when working with citizens; it is never synced.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/demo_mode.py" line="48"/>
        <source>[THỰC HÀNH]</source>
        <translation>[PRACTICE]</translation>
    </message>
</context>
<context>
    <name>DemoLoading</name>
    <message>
        <location filename="../../src/fieldkit/ui/demo_mode.py" line="100"/>
        <source>Đang chuẩn bị dữ liệu thực hành (khoảng 200 hộ mẫu)…</source>
        <translation>Preparing the practice data (about 200 sample households)…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/demo_mode.py" line="107"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/demo_mode.py" line="109"/>
        <source>Thử lại</source>
        <translation>Try again</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/demo_mode.py" line="111"/>
        <source>Thoát chế độ thực hành</source>
        <translation>Leave practice mode</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/demo_mode.py" line="139"/>
        <source>Đã hủy.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/demo_mode.py" line="151"/>
        <source>Không chuẩn bị được dữ liệu thực hành: {error}</source>
        <translation>Could not prepare the practice data: {error}</translation>
    </message>
</context>
<context>
    <name>DisabledWindow</name>
    <message>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="43"/>
        <source>Máy này đã bị xã vô hiệu hóa</source>
        <translation>This laptop was disabled by the commune</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="50"/>
        <source>Cán bộ xã đã thu hồi quyền đồng bộ của máy này lúc {time}, trên máy chủ {server}. Vì vậy FieldKit không mở dữ liệu để làm việc tiếp trên máy này.</source>
        <translation>The commune officer revoked this laptop&apos;s right to sync at {time}, on the server {server}. FieldKit therefore does not open the data for further work on this laptop.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="57"/>
        <source>Không có gì bị xóa: dữ liệu trên máy, kể cả {n} bản ghi chưa gửi lên máy chủ, vẫn được giữ nguyên và mã hóa trên máy này.</source>
        <translation>Nothing was deleted: the data on this laptop, including {n} records not yet sent to the server, is kept as it is, encrypted on this laptop.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="62"/>
        <source>Nếu máy bị thu hồi do nhầm lẫn, hoặc đã được tìm lại: hãy gặp cán bộ kỹ thuật của xã để được cho phép đăng ký lại, rồi nhập mã đăng ký mới (hoặc quét mã QR đăng ký) vào ô dưới đây. Sau khi đăng ký lại, máy mở bình thường và gửi nốt dữ liệu chưa gửi.</source>
        <translation>If the laptop was revoked by mistake, or has been found again: ask the commune IT officer to readmit it, then type the new enrolment code (or scan the enrolment QR) into the field below. Once enrolled again, the laptop opens as usual and sends the data not yet sent.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="70"/>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="77"/>
        <source>Mã đăng ký mới</source>
        <translation>New enrolment code</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="76"/>
        <source>Máy chủ xã</source>
        <translation>Commune server</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="82"/>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="145"/>
        <source>Đăng ký lại</source>
        <translation>Enrol again</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="86"/>
        <source>Khóa máy</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="117"/>
        <source>Mã QR này là của máy chủ {url}, không phải máy chủ đã vô hiệu hóa máy này.</source>
        <translation>This QR code is for the server {url}, not the server that disabled this laptop.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="124"/>
        <source>Hãy nhập mã đăng ký mới do cán bộ xã cấp.</source>
        <translation>Type the new enrolment code from the commune officer.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/disabled_window.py" line="133"/>
        <source>Đang đăng ký…</source>
        <translation>Enrolling…</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../../src/fieldkit/ui/enrol_dialog.py" line="30"/>
        <source>Đăng ký với máy chủ xã</source>
        <translation>Enrol with the commune server</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/enrol_dialog.py" line="32"/>
        <source>Nhập địa chỉ máy chủ và mã đăng ký do cán bộ kỹ thuật của xã cấp, hoặc quét mã QR đăng ký vào ô bất kỳ. Mỗi mã chỉ dùng được một lần.</source>
        <translation>Enter the server address and the enrolment code from the commune IT officer, or scan the enrolment QR code into either field. Each code works only once.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/enrol_dialog.py" line="50"/>
        <source>Đăng ký</source>
        <translation>Enrol</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/enrol_dialog.py" line="52"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/enrol_dialog.py" line="57"/>
        <source>Địa chỉ máy chủ</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/enrol_dialog.py" line="58"/>
        <source>Mã đăng ký</source>
        <translation>Enrolment code</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/enrol_dialog.py" line="96"/>
        <source>Đã đăng ký với máy chủ của {commune}. Máy sẽ tự đồng bộ khi có mạng.</source>
        <translation>Enrolled with the server of {commune}. This laptop will sync by itself whenever it has a connection.</translation>
    </message>
</context>
<context>
    <name>FormPicker</name>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="146"/>
        <source>Tờ khai của hộ</source>
        <translation>Household forms</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="157"/>
        <source>Bắt đầu tờ khai</source>
        <translation>Start form</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="165"/>
        <source>Một số mẫu tờ khai bị lỗi nên tạm không dùng được: {files}. Hãy báo cán bộ kỹ thuật của xã.</source>
        <translation>Some form files are damaged and cannot be used for now: {files}. Please tell the commune IT staff.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="180"/>
        <source>Mở tờ khai đã chọn</source>
        <translation>Open selected form</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="185"/>
        <source>Mẫu tờ khai</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="186"/>
        <source>Người khai / người liên quan</source>
        <translation>Declarant / person concerned</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="187"/>
        <source>Bắt đầu tờ khai mới</source>
        <translation>Start a new form</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="189"/>
        <source>Tờ khai đã có của hộ</source>
        <translation>The household&apos;s existing forms</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="212"/>
        <source>(đã xóa theo yêu cầu)</source>
        <translation>(erased on request)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="226"/>
        <source>Không tìm thấy mẫu tờ khai {id}.</source>
        <translation>Form {id} was not found.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="251"/>
        <source>Không có mẫu tờ khai đúng phiên bản của bản ghi này trên máy; hãy đồng bộ để nhận mẫu.</source>
        <translation>This computer does not have the form version this record was started on; sync to receive it.</translation>
    </message>
</context>
<context>
    <name>FormRecordModel</name>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="108"/>
        <source>Cho ai</source>
        <translation>For whom</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="108"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="108"/>
        <source>Mẫu tờ khai</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="109"/>
        <source>Cập nhật</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="121"/>
        <source>Bản nháp</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="121"/>
        <source>Đã hoàn thành</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_picker.py" line="122"/>
        <source>Đã gửi</source>
        <translation>Sent</translation>
    </message>
</context>
<context>
    <name>FormWindow</name>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="228"/>
        <source>Trang trước</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="229"/>
        <source>Trang sau</source>
        <translation>Next page</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="230"/>
        <source>Hoàn thành</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="231"/>
        <source>Mở lại để sửa</source>
        <translation>Reopen to correct</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="233"/>
        <source>Lưu PDF để in</source>
        <translation>Save PDF to print</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="234"/>
        <source>Hiện mã QR</source>
        <translation>Show QR code</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="381"/>
        <source>Mục {n}</source>
        <translation>Entry {n}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="382"/>
        <source>Xóa</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="515"/>
        <source>Tờ khai đã hoàn thành. Muốn sửa, bấm “Mở lại để sửa”.</source>
        <translation>This form is complete. To change it, press “Reopen to correct”.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="552"/>
        <source>Trang {n}/{total}</source>
        <translation>Page {n}/{total}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="590"/>
        <source>Ô “{label}” có giá trị chưa đúng nên chưa được lưu: {reason} Hãy sửa lại (hoặc xóa trống ô đó) rồi làm tiếp.</source>
        <translation>“{label}” holds a value that could not be saved: {reason} Correct it (or clear the field), then continue.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="613"/>
        <source>Đã lưu lúc {time}</source>
        <translation>Saved at {time}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="650"/>
        <source>Danh sách này chưa có ô nào để điền nên không thêm mục được.</source>
        <translation>This list has no fields to fill in, so no entry can be added.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="696"/>
        <source>Chưa hoàn thành được: còn {n} chỗ cần sửa, đánh dấu đỏ bên dưới.</source>
        <translation>Cannot complete yet: {n} answers need fixing, marked in red below.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="741"/>
        <source>Tờ khai chưa hoàn thành nên chưa có biên nhận.</source>
        <translation>The declaration is not completed yet, so it has no receipt.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="759"/>
        <source>Lưu tờ khai thành PDF</source>
        <translation>Save the declaration as PDF</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="760"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="768"/>
        <source>Đã lưu PDF</source>
        <translation>PDF saved</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="769"/>
        <source>Đã lưu tờ khai vào {path}. Mở tệp để in ngay?</source>
        <translation>The declaration was saved to {path}. Open it to print now?</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="779"/>
        <source>Không mở được tệp PDF. Hãy mở tệp {path} bằng trình xem PDF để in.</source>
        <translation>Could not open the PDF. Open {path} in a PDF viewer to print it.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="800"/>
        <source>Không lưu được tệp PDF ({reason}). Hãy kiểm tra ổ đĩa còn chỗ trống hoặc chọn thư mục khác.</source>
        <translation>Could not save the PDF ({reason}). Check that the disk has free space, or choose another folder.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="807"/>
        <source>Đã lưu PDF: {path}</source>
        <translation>PDF saved: {path}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="814"/>
        <source>không có quyền ghi vào thư mục này, hoặc tệp đang mở trong chương trình khác</source>
        <translation>no permission to write in this folder, or the file is open in another program</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="817"/>
        <source>ổ đĩa đã đầy</source>
        <translation>the disk is full</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="819"/>
        <source>thư mục không tồn tại</source>
        <translation>the folder does not exist</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="822"/>
        <source>không ghi được tệp</source>
        <translation>the file could not be written</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="854"/>
        <source>Tờ khai này đã bị xóa nên không lưu được nữa.</source>
        <translation>This form has been deleted, so it can no longer be saved.</translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="69"/>
        <source>Hướng dẫn từng bước</source>
        <translation>Step-by-step guides</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="108"/>
        <source>Người được hỗ trợ</source>
        <translation>Person being helped</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="111"/>
        <source>Có điện thoại thông minh riêng?</source>
        <translation>Has a smartphone of their own?</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="112"/>
        <source>Máy đọc được chip thẻ (NFC)?</source>
        <translation>Can the phone read the card chip (NFC)?</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="113"/>
        <source>Số điện thoại đứng tên chính người này?</source>
        <translation>Is the phone number in this person&apos;s own name?</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="117"/>
        <source>Chưa rõ</source>
        <translation>Not known</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="118"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="119"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="129"/>
        <source>Bắt đầu hướng dẫn</source>
        <translation>Start the guide</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="139"/>
        <source>Hướng dẫn</source>
        <translation>Guides</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="143"/>
        <source>Không mở được {count} tệp hướng dẫn; báo cho cán bộ kỹ thuật của xã:
{errors}</source>
        <translation>{count} guide file(s) could not be opened; tell the commune IT officer:
{errors}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="175"/>
        <source>Hộ này chưa có thành viên nào được ghi tên.</source>
        <translation>No member of this household has a name recorded yet.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="182"/>
        <source>{age} tuổi · VNeID: {status}</source>
        <translation>{age} years old · VNeID: {status}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="185"/>
        <source>Chưa rõ ngày sinh · VNeID: {status}</source>
        <translation>Date of birth not known · VNeID: {status}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="199"/>
        <source>{title} — đang làm dở</source>
        <translation>{title} — in progress</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="204"/>
        <source>Không phù hợp với người này (theo thông tin ở trên).</source>
        <translation>Does not fit this person (from the answers above).</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="238"/>
        <source>Hãy chọn một hướng dẫn phù hợp trong danh sách.</source>
        <translation>Choose a suitable guide from the list.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="266"/>
        <source>Tạm dừng, chọn người khác</source>
        <translation>Pause, choose someone else</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="267"/>
        <source>Lượt hướng dẫn vẫn mở; chọn lại để làm tiếp.</source>
        <translation>The guide stays open; choose it again to carry on.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="269"/>
        <source>Dừng hẳn hướng dẫn này</source>
        <translation>Stop this guide for good</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="280"/>
        <source>Đã ghi nhận</source>
        <translation>Recorded so far</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="315"/>
        <source>Bước {number}/{total}</source>
        <translation>Step {number}/{total}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="327"/>
        <source>vấn đề: {problem}</source>
        <translation>problem: {problem}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="330"/>
        <source>bỏ qua: {reason}</source>
        <translation>skipped: {reason}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="332"/>
        <source>xong</source>
        <translation>done</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="371"/>
        <source>Đã đi hết các bước. Chọn tình trạng tài khoản VNeID của người này lúc này. Chỉ chọn mức mới khi ứng dụng đã báo thành công (ví dụ: đã có tin nhắn duyệt).</source>
        <translation>All steps are done. Choose this person&apos;s VNeID account status now. Only choose a new level once the app has reported success (for example, the approval text message has arrived).</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="377"/>
        <source>Lưu kết quả và kết thúc</source>
        <translation>Save the result and finish</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="381"/>
        <source>Tình trạng VNeID</source>
        <translation>VNeID status</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="409"/>
        <source>Đã lưu kết quả cho {name}: {status}.</source>
        <translation>Result saved for {name}: {status}.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_window.py" line="428"/>
        <source>Không tìm thấy người hoặc lượt hướng dẫn này nữa; có thể đã bị xóa.</source>
        <translation>This person or guide run can no longer be found; it may have been removed.</translation>
    </message>
</context>
<context>
    <name>HouseholdDetail</name>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="51"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="51"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="51"/>
        <source>Quan hệ</source>
        <translation>Relationship</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="52"/>
        <source>Số định danh</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="52"/>
        <source>VNeID</source>
        <translation>VNeID</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="61"/>
        <source>Thêm thành viên</source>
        <translation>Add member</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="63"/>
        <source>Xem/sửa thành viên</source>
        <translation>View/edit member</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="65"/>
        <source>Sửa thông tin hộ</source>
        <translation>Edit household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="67"/>
        <source>Tờ khai</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="69"/>
        <source>Bắt đầu tờ khai thủ tục (khai sinh, cư trú, ...) hoặc mở tờ khai đã có của hộ</source>
        <translation>Start a procedure form (birth, residence, ...) or open one of the household&apos;s existing forms</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="79"/>
        <source>Chọn một hộ trong danh sách, hoặc đăng ký hộ mới.</source>
        <translation>Select a household from the list, or register a new household.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="105"/>
        <source>(chưa có tên chủ hộ)</source>
        <translation>(no head name yet)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_detail.py" line="111"/>
        <source>(đã xóa theo yêu cầu)</source>
        <translation>(erased on request)</translation>
    </message>
</context>
<context>
    <name>HouseholdDialog</name>
    <message>
        <location filename="../../src/fieldkit/ui/household_dialog.py" line="19"/>
        <source>Thông tin của hộ</source>
        <translation>Household details</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_dialog.py" line="23"/>
        <source>Xong</source>
        <translation>Done</translation>
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
        <location filename="../../src/fieldkit/ui/household_table.py" line="26"/>
        <source>Chủ hộ</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_table.py" line="26"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_table.py" line="26"/>
        <source>Số người</source>
        <translation>Members</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_table.py" line="27"/>
        <source>Điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/household_table.py" line="73"/>
        <source>(chưa có tên chủ hộ)</source>
        <translation>(no head name yet)</translation>
    </message>
</context>
<context>
    <name>LineInput</name>
    <message>
        <location filename="../../src/fieldkit/ui/form_widgets.py" line="107"/>
        <source>“{text}” không phải số nguyên: chỉ gõ các chữ số 0-9 liền nhau (có thể có dấu trừ ở đầu), không dấu chấm, dấu phẩy hay khoảng trắng, ví dụ 1000.</source>
        <translation>“{text}” is not a whole number: type only the digits 0-9 (a leading minus is allowed), with no dots, commas or spaces, e.g. 1000.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_widgets.py" line="114"/>
        <source>“{text}” dễ bị hiểu nhầm: nếu là số nguyên hãy viết liền không dấu chấm (ví dụ 1000); nếu là số thập phân hãy dùng dấu phẩy (ví dụ 1,5).</source>
        <translation>“{text}” is ambiguous: for a whole number write it without the dot (e.g. 1000); for a decimal use a comma (e.g. 1,5).</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/form_widgets.py" line="119"/>
        <source>“{text}” không phải một số: chỉ gõ các chữ số 0-9, nhiều nhất một dấu phẩy thập phân (ví dụ 2,5), không dấu chấm ngăn cách hàng nghìn.</source>
        <translation>“{text}” is not a number: type only the digits 0-9 with at most one decimal comma (e.g. 2,5) and no thousands separators.</translation>
    </message>
</context>
<context>
    <name>LogExport</name>
    <message>
        <location filename="../../src/fieldkit/ui/log_export.py" line="42"/>
        <source>Gửi nhật ký lỗi</source>
        <translation>Send error log</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/log_export.py" line="44"/>
        <source>Tệp nén (*{suffix})</source>
        <translation>Zip archive (*{suffix})</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/log_export.py" line="54"/>
        <source>Không lưu được nhật ký lỗi</source>
        <translation>Error log not saved</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/log_export.py" line="58"/>
        <source>Đã lưu nhật ký lỗi</source>
        <translation>Error log saved</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/log_export.py" line="59"/>
        <source>Đã lưu nhật ký lỗi vào {file}.

Tệp chỉ ghi lại hoạt động của phần mềm (phiên bản, lỗi, các lần mở khóa và đồng bộ), không chứa thông tin cá nhân của người dân. Hãy gửi tệp này cho cán bộ kỹ thuật của xã.</source>
        <translation>The error log was saved to {file}.

It records only what the software did (versions, errors, unlocks and syncs) and holds no personal data about citizens. Please send this file to the commune&apos;s IT officer.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/log_export.py" line="70"/>
        <source>Ổ đĩa hoặc USB đã đầy nên không lưu được {file}. Hãy xóa bớt tệp trên đó hoặc chọn nơi khác.</source>
        <translation>The disk or USB stick is full, so {file} could not be saved. Delete some files on it or choose another place.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/log_export.py" line="74"/>
        <source>Không được phép ghi vào {folder}: USB có thể đang bị khóa ghi, hoặc thư mục chỉ cho phép đọc. Hãy chọn nơi khác, ví dụ màn hình nền (Desktop).</source>
        <translation>Writing to {folder} is not allowed: the USB stick may be write-protected, or the folder is read-only. Choose another place, such as the Desktop.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/log_export.py" line="78"/>
        <source>Không lưu được {file}: {error}. Hãy chọn nơi khác.</source>
        <translation>Could not save {file}: {error}. Choose another place.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/log_export.py" line="86"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="94"/>
        <location filename="../../src/fieldkit/ui/main_window.py" line="101"/>
        <source>Thôn/bản</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="96"/>
        <source>Thêm thôn/bản</source>
        <translation>Add village</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="108"/>
        <source>Tìm theo tên, số định danh hoặc số điện thoại…</source>
        <translation>Search by name, ID number or phone number…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="111"/>
        <location filename="../../src/fieldkit/ui/main_window.py" line="189"/>
        <source>Tìm hộ</source>
        <translation>Find a household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="132"/>
        <location filename="../../src/fieldkit/ui/main_window.py" line="186"/>
        <source>Đăng ký hộ mới</source>
        <translation>Register new household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="185"/>
        <source>&amp;Tệp</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="192"/>
        <source>Việc cần làm…</source>
        <translation>Work list…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="200"/>
        <source>Đồng bộ ngay</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="203"/>
        <source>Đăng ký với máy chủ xã…</source>
        <translation>Enrol with the commune server…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="205"/>
        <source>Xung đột đồng bộ…</source>
        <translation>Sync conflicts…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="207"/>
        <source>Xuất dữ liệu ra USB…</source>
        <translation>Export data to USB…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="209"/>
        <source>Nhập tệp trả lời từ USB…</source>
        <translation>Import answer file from USB…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="216"/>
        <source>Khóa máy</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="219"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="224"/>
        <source>&amp;Hiển thị</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="225"/>
        <source>Chữ lớn</source>
        <translation>Large text</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="230"/>
        <source>Tự khóa khi không dùng</source>
        <translation>Lock when idle</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="233"/>
        <source>Sau {n} phút</source>
        <translation>After {n} minutes</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="239"/>
        <source>Ngôn ngữ</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="248"/>
        <source>Trợ &amp;giúp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="249"/>
        <source>Hướng dẫn sử dụng (tour)</source>
        <translation>Guided tour</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="253"/>
        <source>Mở chế độ thực hành (dữ liệu mẫu)…</source>
        <translation>Open practice mode (sample data)…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="255"/>
        <source>Dành cho tập huấn: một xã mẫu riêng, không đụng tới dữ liệu thật</source>
        <translation>For training: a separate sample commune that never touches real data</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="259"/>
        <source>Gửi nhật ký lỗi…</source>
        <translation>Send error log…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="261"/>
        <source>Lưu nhật ký hoạt động của phần mềm thành một tệp để gửi cho cán bộ kỹ thuật; tệp không chứa thông tin cá nhân</source>
        <translation>Save the software&apos;s activity log as a file to send to the IT officer; the file holds no personal data</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="264"/>
        <source>Giới thiệu FieldKit</source>
        <translation>About FieldKit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="286"/>
        <source>Thực hà&amp;nh</source>
        <translation>&amp;Practice</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="290"/>
        <source>Tình huống: {title}</source>
        <translation>Scenario: {title}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="297"/>
        <source>Khôi phục dữ liệu thực hành ban đầu…</source>
        <translation>Restore the original practice data…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="299"/>
        <source>Thoát chế độ thực hành</source>
        <translation>Leave practice mode</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="404"/>
        <source>Xóa mọi thứ đã làm trong buổi thực hành và đưa dữ liệu mẫu về như ban đầu?</source>
        <translation>Erase everything done in this practice session and bring the sample data back to how it started?</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="406"/>
        <source>Khôi phục</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="407"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="414"/>
        <source>Máy chưa được thiết lập tình nguyện viên và xã.</source>
        <translation>This computer has not been set up with a volunteer and commune yet.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="419"/>
        <source>Dữ liệu thực hành: không bao giờ đồng bộ</source>
        <translation>Practice data: never synced</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="421"/>
        <source>Chờ đồng bộ: {n} bản ghi</source>
        <translation>Records waiting to sync: {n}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="441"/>
        <source>Ngôn ngữ mới được dùng từ lần mở FieldKit sau. / The new language applies the next time FieldKit starts.</source>
        <translation>The new language applies the next time FieldKit starts. / Ngôn ngữ mới được dùng từ lần mở FieldKit sau.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="445"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="484"/>
        <source>Tất cả thôn/bản</source>
        <translation>All hamlets</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="513"/>
        <source>{n} hộ</source>
        <translation>{n} households</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/main_window.py" line="517"/>
        <source>Chọn một thôn/bản trước.</source>
        <translation>Select a village first.</translation>
    </message>
</context>
<context>
    <name>PersonDialog</name>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="57"/>
        <source>Rút lại đồng ý và xóa thông tin</source>
        <translation>Withdraw consent and erase information</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="61"/>
        <source>Xóa thành viên nhập nhầm</source>
        <translation>Remove member entered by mistake</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="66"/>
        <source>Xong</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="80"/>
        <source>Thông tin thành viên</source>
        <translation>Member details</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="83"/>
        <source>Đăng ký hộ mới</source>
        <translation>Register new household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="85"/>
        <source>Thêm thành viên</source>
        <translation>Add member</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="114"/>
        <source>Người này đã rút lại đồng ý; thông tin cá nhân đã được xóa. Muốn ghi lại, hãy thêm thành viên mới và xin đồng ý lại.</source>
        <translation>This person has withdrawn consent; their personal information has been erased. To record them again, add a new member and ask for consent again.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="124"/>
        <source>Thông tin của hộ</source>
        <translation>Household details</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="155"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="162"/>
        <source>Rút lại đồng ý</source>
        <translation>Withdraw consent</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="163"/>
        <source>Xóa toàn bộ thông tin cá nhân của người này? Việc xóa cũng được đồng bộ lên máy chủ của xã và không hoàn tác được.</source>
        <translation>Erase all of this person&apos;s personal information? The erasure is also synced to the commune server and cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="165"/>
        <source>Rút lại và xóa</source>
        <translation>Withdraw and erase</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="171"/>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="174"/>
        <source>Xóa thành viên</source>
        <translation>Remove member</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_dialog.py" line="172"/>
        <source>Xóa người này khỏi hộ vì nhập nhầm? Thông tin của họ bị xóa và việc xóa được đồng bộ lên máy chủ của xã.</source>
        <translation>Remove this person from the household as entered by mistake? Their information is erased and the removal is synced to the commune server.</translation>
    </message>
</context>
<context>
    <name>PersonForm</name>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="61"/>
        <source>Quét mã QR trên thẻ căn cước, hoặc dán dòng mã</source>
        <translation>Scan the QR code on the chip ID card, or paste the code line</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="62"/>
        <source>Quét thẻ căn cước</source>
        <translation>Scan chip ID card</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="71"/>
        <source>Thay bằng thông tin trên thẻ</source>
        <translation>Replace with the card’s details</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="73"/>
        <source>Giữ thông tin đang có</source>
        <translation>Keep the current details</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="91"/>
        <source>12 chữ số</source>
        <translation>12 digits</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="93"/>
        <source>ngày/tháng/năm, ví dụ 15/03/1985</source>
        <translation>day/month/year, e.g. 15/03/1985</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="103"/>
        <source>Có điện thoại thông minh</source>
        <translation>Has a smartphone</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="104"/>
        <source>Điện thoại có NFC (đọc chip thẻ căn cước)</source>
        <translation>Phone has NFC (can read the chip ID card)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="106"/>
        <source>Số điện thoại đứng tên chính người này</source>
        <translation>Phone number is in this person&apos;s own name</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="113"/>
        <source>Mọi thông tin được lưu ngay khi nhập xong từng ô.</source>
        <translation>Each field is saved as soon as you finish entering it.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="118"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="119"/>
        <source>Số định danh cá nhân</source>
        <translation>Personal ID number</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="120"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="122"/>
        <source>Giới tính</source>
        <translation>Gender</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="123"/>
        <source>Dân tộc</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="124"/>
        <source>Số điện thoại</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="126"/>
        <source>Quan hệ với chủ hộ</source>
        <translation>Relationship to head of household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="130"/>
        <source>Tài khoản VNeID</source>
        <translation>VNeID account</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="136"/>
        <source>Quét thẻ</source>
        <translation>Scan card</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="166"/>
        <source>Người này chưa đồng ý cho ghi thông tin này.</source>
        <translation>This person has not consented to recording this information.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="222"/>
        <source>Thẻ vừa quét là của {card} ({card_id}), khác với người đang nhập: {name} ({number}). Thay thông tin bằng thẻ này?</source>
        <translation>The card just scanned belongs to {card} ({card_id}), not to the person being entered: {name} ({number}). Replace the details with this card’s?</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="225"/>
        <source>chưa có số</source>
        <translation>no number yet</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="240"/>
        <source>Đã bỏ qua thẻ vừa quét; thông tin cũ được giữ nguyên.</source>
        <translation>The scanned card was ignored; the existing details are kept.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="258"/>
        <source>Đã điền từ thẻ căn cước và lưu.</source>
        <translation>Filled in from the chip ID card and saved.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/person_form.py" line="259"/>
        <source>Đã điền từ thẻ những thông tin được đồng ý và lưu.</source>
        <translation>The consented details were filled in from the card and saved.</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <location filename="../../src/fieldkit/ui/receipt_dialog.py" line="66"/>
        <location filename="../../src/fieldkit/ui/receipt_dialog.py" line="74"/>
        <source>Mã QR biên nhận</source>
        <translation>Receipt QR code</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/receipt_dialog.py" line="76"/>
        <source>Mã tham chiếu</source>
        <translation>Reference code</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/receipt_dialog.py" line="86"/>
        <source>Đưa mã này cho cán bộ một cửa quét, hoặc chụp lại.</source>
        <translation>Give this code to the one-stop-shop officer to scan, or take a photo of it.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/receipt_dialog.py" line="94"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>SetupWindow</name>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="36"/>
        <source>FieldKit – thiết lập lần đầu</source>
        <translation>FieldKit – first-time setup</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="38"/>
        <source>Chào mừng đến với FieldKit</source>
        <translation>Welcome to FieldKit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="40"/>
        <source>Thiết lập máy này một lần: tên của bạn, xã bạn hỗ trợ và một cụm mật khẩu để mã hóa dữ liệu.</source>
        <translation>Set up this computer once: your name, the commune you support, and a passphrase to encrypt the data.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="49"/>
        <source>– Chọn tỉnh/thành phố –</source>
        <translation>– Select province/city –</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="60"/>
        <source>Hãy ghi nhớ cụm mật khẩu. Nếu quên, không ai khôi phục được dữ liệu chưa đồng bộ lên máy chủ của xã, kể cả đội kỹ thuật.</source>
        <translation>Remember your passphrase. If you forget it, nobody, not even the technical team, can recover data that has not yet been synced to the commune server.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="66"/>
        <source>Họ và tên tình nguyện viên</source>
        <translation>Volunteer&apos;s full name</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="67"/>
        <source>Số điện thoại</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="68"/>
        <source>Tỉnh/thành phố</source>
        <translation>Province/city</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="69"/>
        <source>Xã/phường</source>
        <translation>Commune/ward</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="70"/>
        <source>Cụm mật khẩu (ít nhất 8 ký tự)</source>
        <translation>Passphrase (at least 8 characters)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="71"/>
        <source>Nhập lại cụm mật khẩu</source>
        <translation>Repeat passphrase</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="78"/>
        <source>Tạo kho dữ liệu và bắt đầu</source>
        <translation>Create the data store and start</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="120"/>
        <source>Hãy nhập họ và tên của bạn.</source>
        <translation>Please enter your full name.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="125"/>
        <source>Hãy chọn tỉnh rồi chọn xã/phường trong danh sách.</source>
        <translation>Please select a province, then a commune/ward from the list.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="132"/>
        <source>Cụm mật khẩu cần ít nhất 8 ký tự.</source>
        <translation>The passphrase must be at least 8 characters long.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/setup_window.py" line="134"/>
        <source>Hai lần nhập cụm mật khẩu không khớp nhau.</source>
        <translation>The two passphrases do not match.</translation>
    </message>
</context>
<context>
    <name>StepView</name>
    <message>
        <location filename="../../src/fieldkit/ui/guide_step.py" line="69"/>
        <source>Quét bằng camera điện thoại của người dân</source>
        <translation>Scan with the citizen&apos;s phone camera</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_step.py" line="72"/>
        <source>Gặp vấn đề?</source>
        <translation>A problem?</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_step.py" line="79"/>
        <source>Ghi nhận vấn đề này</source>
        <translation>Record this problem</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_step.py" line="88"/>
        <source>Lý do bỏ qua bước này</source>
        <translation>Why this step is skipped</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_step.py" line="90"/>
        <source>Bỏ qua bước</source>
        <translation>Skip step</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_step.py" line="92"/>
        <source>Đã xong, sang bước sau</source>
        <translation>Done, next step</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_step.py" line="120"/>
        <source>Điện thoại sẽ hiện: {screen}</source>
        <translation>The phone should show: {screen}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/guide_step.py" line="172"/>
        <source>Cách xử lý: {fix}</source>
        <translation>What to do: {fix}</translation>
    </message>
</context>
<context>
    <name>SyncIssuesDialog</name>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="44"/>
        <source>Hộ</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="44"/>
        <source>Thành viên</source>
        <translation>Member</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="45"/>
        <source>Buổi hỗ trợ</source>
        <translation>Support visit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="45"/>
        <source>Đồng ý</source>
        <translation>Consent</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="46"/>
        <source>Thôn/bản</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="46"/>
        <source>Tờ khai</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="47"/>
        <source>Bản sửa tờ khai</source>
        <translation>Form revision</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="48"/>
        <source>Lượt hướng dẫn</source>
        <translation>Guide run</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="49"/>
        <source>Bước hướng dẫn</source>
        <translation>Guide step</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="50"/>
        <source>Tình nguyện viên</source>
        <translation>Volunteer</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="50"/>
        <source>Xã</source>
        <translation>Commune</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="52"/>
        <source>Xung đột đồng bộ và bản ghi bị từ chối</source>
        <translation>Sync conflicts and refused records</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="56"/>
        <source>Thông tin</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="56"/>
        <source>Trên máy này</source>
        <translation>On this laptop</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="57"/>
        <source>Trên máy chủ</source>
        <translation>On the server</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="60"/>
        <source>Giữ bản trên máy này</source>
        <translation>Keep this laptop&apos;s version</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="61"/>
        <source>Dùng bản trên máy chủ</source>
        <translation>Use the server&apos;s version</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="75"/>
        <source>Bản ghi đã được sửa cả trên máy này và trên máy chủ. Không bản nào bị ghi đè: hãy so sánh rồi chọn bản đúng.</source>
        <translation>These records were changed both on this laptop and on the server. Neither was overwritten: compare them and choose the right one.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="85"/>
        <source>Máy chủ chưa nhận các bản ghi này. Hãy sửa theo lý do; bản đã sửa sẽ được gửi lại ở lần đồng bộ sau. Các bản ghi khác vẫn được đồng bộ bình thường.</source>
        <translation>The server has not accepted these records. Correct them as the reason says; a corrected record is sent again at the next sync. Other records sync as usual.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="99"/>
        <source>Xung đột ({n})</source>
        <translation>Conflicts ({n})</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_issues_dialog.py" line="100"/>
        <source>Bị từ chối ({n})</source>
        <translation>Refused ({n})</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="75"/>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="76"/>
        <source>Gửi dữ liệu lên máy chủ của xã và nhận cập nhật</source>
        <translation>Send data to the commune server and receive updates</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="81"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="94"/>
        <source>Dữ liệu thực hành không bao giờ được đồng bộ</source>
        <translation>Practice data is never synced</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="107"/>
        <source>Chưa đăng ký với máy chủ xã</source>
        <translation>Not enrolled with the commune server</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="114"/>
        <source>Đồng bộ lần cuối {time}</source>
        <translation>Last synced {time}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="117"/>
        <source>Chưa đồng bộ lần nào</source>
        <translation>Never synced yet</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="125"/>
        <source>Hãy đăng ký máy với máy chủ xã trước (Tệp → Đăng ký với máy chủ xã…).</source>
        <translation>Enrol this laptop with the commune server first (File → Enrol with the commune server…).</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="140"/>
        <source>Đang đồng bộ…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="155"/>
        <source>Đang dừng…</source>
        <translation>Stopping…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="160"/>
        <source>Đang gửi…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="161"/>
        <source>Đang nhận…</source>
        <translation>Receiving…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="174"/>
        <source>Đã dừng đồng bộ; lần sau sẽ làm tiếp.</source>
        <translation>Sync stopped; the next one carries on from here.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="177"/>
        <source>Đã đồng bộ; {conflicts} xung đột, {rejected} bản ghi bị từ chối cần xem (Tệp → Xung đột đồng bộ…)</source>
        <translation>Synced; {conflicts} conflicts and {rejected} refused records to review (File → Sync conflicts…)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/sync_status.py" line="198"/>
        <source>Chưa kết nối được máy chủ; sẽ tự thử lại.</source>
        <translation>Cannot reach the server yet; will try again by itself.</translation>
    </message>
</context>
<context>
    <name>TextBoxInput</name>
    <message>
        <location filename="../../src/fieldkit/ui/form_widgets.py" line="188"/>
        <source>Enter: xuống dòng · Ctrl+Enter: sang ô tiếp theo</source>
        <translation>Enter: new line · Ctrl+Enter: next field</translation>
    </message>
</context>
<context>
    <name>Tour</name>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="304"/>
        <source>Chế độ thực hành</source>
        <translation>Practice mode</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="305"/>
        <source>Dải màu cam này cho biết mọi thứ trên màn hình là dữ liệu mẫu để tập, không phải người thật. Cứ thử, làm sai cũng không sao: không gì ở đây được gửi lên máy chủ của xã.</source>
        <translation>This orange strip means everything on screen is sample data for practice, not real people. Go ahead and try things, mistakes are fine: nothing here is sent to the commune server.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="309"/>
        <source>Tìm hộ</source>
        <translation>Find a household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="310"/>
        <source>Gõ tên, số định danh hoặc số điện thoại để tìm hộ. Gõ không dấu cũng được: “lo thi” vẫn ra “Lò Thị”; nhấn Ctrl+F để về ô tìm từ bất cứ đâu.</source>
        <translation>Type a name, ID number or phone number to find a household. Typing without diacritics works too: “lo thi” still finds “Lò Thị”; press Ctrl+F to jump back to the search box from anywhere.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="314"/>
        <source>Thôn/bản</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="315"/>
        <source>Chọn một thôn/bản để chỉ xem các hộ ở đó, hoặc “Tất cả thôn/bản” để xem cả xã. Thôn/bản mới được thêm bằng nút bên dưới.</source>
        <translation>Choose a village to see only its households, or “All villages” to see the whole commune. New villages are added with the button below.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="318"/>
        <source>Danh sách hộ</source>
        <translation>Household list</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="319"/>
        <source>Các hộ khớp với ô tìm và thôn/bản đang chọn. Bấm vào một hộ, hoặc nhấn Enter ngay trong ô tìm, để mở hộ đó.</source>
        <translation>The households matching the search and the chosen village. Click a household, or press Enter right in the search box, to open it.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="322"/>
        <source>Đăng ký hộ mới</source>
        <translation>Register new household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="323"/>
        <source>Tìm không thấy thì chọn thôn/bản của hộ rồi bấm nút này (Ctrl+N). Trước khi lưu, đọc cho gia đình nghe nội dung xin phép và ghi lại ai đã đồng ý.</source>
        <translation>If the search finds nothing, choose the household&apos;s village and press this button (Ctrl+N). Before saving, read the consent text aloud to the family and record who agreed.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="327"/>
        <source>Thành viên trong hộ</source>
        <translation>Household members</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="328"/>
        <source>Mỗi dòng là một người trong hộ. Cột VNeID cho biết tài khoản định danh điện tử của người đó đã làm đến đâu; bấm đúp vào một người để xem hoặc sửa.</source>
        <translation>Each row is one person in the household. The VNeID column shows how far their electronic ID account has got; double-click a person to view or edit them.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="332"/>
        <source>Thêm thành viên</source>
        <translation>Add member</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="333"/>
        <source>Thêm một người vào hộ đang mở, ví dụ em bé mới sinh hay người mới chuyển đến ở cùng.</source>
        <translation>Add a person to the open household, for example a newborn baby or someone who has just moved in.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="336"/>
        <source>Tờ khai</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="337"/>
        <source>Làm tờ khai thủ tục (khai sinh, cư trú, …) cho người trong hộ, với thông tin đã có được điền sẵn. Tờ khai làm dở được tự lưu để làm tiếp lần sau.</source>
        <translation>Fill in procedure forms (birth, residence, …) for people in the household, with what is already known filled in. Unfinished forms are saved automatically to continue later.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="341"/>
        <source>Buổi hỗ trợ</source>
        <translation>Support visit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="342"/>
        <source>Đến nhà dân thì bấm “Bắt đầu buổi hỗ trợ”, đánh dấu những việc đã giúp và kết thúc khi ra về. Ghi chú tuyệt đối không ghi mật khẩu hay mã OTP của người dân.</source>
        <translation>When you arrive at a home, press “Start support visit”, tick what you helped with and end the visit when you leave. Never write anyone&apos;s password or OTP code in the notes.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="346"/>
        <source>Trạng thái và khóa máy</source>
        <translation>Status and locking</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="347"/>
        <source>Dòng dưới cùng cho biết ai đang dùng máy và tình trạng đồng bộ dữ liệu. Khi rời máy, nhấn Ctrl+L để khóa; dữ liệu trên máy luôn được mã hóa.</source>
        <translation>The bottom line shows who is using the laptop and the sync status. When you step away, press Ctrl+L to lock; the data on this laptop is always encrypted.</translation>
    </message>
</context>
<context>
    <name>TourBubble</name>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="116"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="117"/>
        <source>Phím ←</source>
        <translation>Key ←</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="118"/>
        <source>Thoát tour</source>
        <translation>Exit tour</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="119"/>
        <source>Phím Esc</source>
        <translation>Key Esc</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="121"/>
        <source>Phím → hoặc Enter</source>
        <translation>Key → or Enter</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="143"/>
        <source>Xong</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/tour.py" line="143"/>
        <source>Tiếp</source>
        <translation>Next</translation>
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
    <name>UsbSync</name>
    <message>
        <location filename="../../src/fieldkit/ui/usb_sync.py" line="24"/>
        <source>Xuất dữ liệu ra USB</source>
        <translation>Export data to USB</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/usb_sync.py" line="26"/>
        <location filename="../../src/fieldkit/ui/usb_sync.py" line="55"/>
        <source>Tệp đồng bộ FieldKit (*{suffix})</source>
        <translation>FieldKit sync files (*{suffix})</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/usb_sync.py" line="35"/>
        <source>Không xuất được</source>
        <translation>Could not export</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/usb_sync.py" line="39"/>
        <source>Đã xuất dữ liệu</source>
        <translation>Data exported</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/usb_sync.py" line="40"/>
        <source>Đã ghi {n} thay đổi vào {file}.

Tệp được mã hóa, chỉ máy chủ của xã mở được. Đưa tệp cho cán bộ xã nhập trên máy chủ, rồi nhập tệp trả lời họ đưa lại (Tệp → Nhập tệp trả lời từ USB). Dữ liệu vẫn được giữ trên máy cho tới khi có trả lời.</source>
        <translation>Wrote {n} changes to {file}.

The file is encrypted; only the commune&apos;s server can open it. Give it to the commune officer to import on the server, then import the answer file they give back (File → Import answer file from USB). The data stays on this laptop until the answer comes.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/usb_sync.py" line="53"/>
        <source>Nhập tệp trả lời từ USB</source>
        <translation>Import answer file from USB</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/usb_sync.py" line="64"/>
        <source>Không nhập được</source>
        <translation>Could not import</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/usb_sync.py" line="69"/>
        <source>Đã nhập tệp trả lời</source>
        <translation>Answer file imported</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/usb_sync.py" line="70"/>
        <source>Máy chủ xã đã nhận {applied} thay đổi mới ({duplicate} đã có từ trước, {conflict} xung đột, {rejected} bị từ chối). Đã nhận về {pulled} thay đổi: việc được giao, danh sách hộ, biểu mẫu và dữ liệu của các máy khác.</source>
        <translation>The commune server took {applied} new changes ({duplicate} it already had, {conflict} conflicts, {rejected} refused). {pulled} changes came back: assignments, household lists, forms and other laptops&apos; work.</translation>
    </message>
</context>
<context>
    <name>VillageDialog</name>
    <message>
        <location filename="../../src/fieldkit/ui/village_dialog.py" line="29"/>
        <source>Thêm thôn/bản</source>
        <translation>Add village</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/village_dialog.py" line="34"/>
        <source>Ví dụ: Thôn Nà Hang</source>
        <translation>E.g. Thôn Nà Hang</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/village_dialog.py" line="39"/>
        <source>Thêm</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/village_dialog.py" line="43"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/village_dialog.py" line="50"/>
        <source>Loại</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/village_dialog.py" line="51"/>
        <source>Tên</source>
        <translation>Name</translation>
    </message>
</context>
<context>
    <name>VisitPanel</name>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="58"/>
        <source>Buổi hỗ trợ</source>
        <translation>Support visit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="67"/>
        <source>Bắt đầu buổi hỗ trợ</source>
        <translation>Start support visit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="82"/>
        <source>Ghi chú buổi hỗ trợ (không ghi mật khẩu, mã OTP)</source>
        <translation>Support visit notes (never write down passwords or OTP codes)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="90"/>
        <source>– Kết quả buổi hỗ trợ –</source>
        <translation>– Support visit outcome –</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="93"/>
        <source>Hướng dẫn từng bước…</source>
        <translation>Step-by-step guides…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="95"/>
        <source>Hướng dẫn từng người cài VNeID, đăng ký, kích hoạt, làm thủ tục; ghi lại từng bước</source>
        <translation>Walk each person through installing VNeID, registering, activating and procedures; record each step</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="99"/>
        <source>Tóm tắt buổi này…</source>
        <translation>Summary of this visit…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="101"/>
        <source>Việc đã làm cho từng người, việc còn lại và nơi cần đến; in hoặc lưu PDF</source>
        <translation>What was done for each person, what remains and where to go; print or save as PDF</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="103"/>
        <source>Kết thúc buổi hỗ trợ</source>
        <translation>End support visit</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="110"/>
        <source>Bấm đúp vào một buổi để xem lại bản tóm tắt</source>
        <translation>Double-click a visit to see its summary again</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="125"/>
        <source>Các buổi trước</source>
        <translation>Previous visits</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="144"/>
        <source>Đang hỗ trợ từ {time}</source>
        <translation>Support visit in progress since {time}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="154"/>
        <source>Chưa có buổi hỗ trợ nào đang mở.</source>
        <translation>No support visit is in progress.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="203"/>
        <source>Không tìm thấy buổi hỗ trợ này nữa.</source>
        <translation>This support visit can no longer be found.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_panel.py" line="211"/>
        <source>Ghi chú chưa lưu: {notes}</source>
        <translation>Notes not saved: {notes}</translation>
    </message>
</context>
<context>
    <name>VisitSummaryDialog</name>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="73"/>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="89"/>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="114"/>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="232"/>
        <source>Tóm tắt buổi hỗ trợ</source>
        <translation>Visit summary</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="95"/>
        <source>In…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="97"/>
        <source>Lưu PDF…</source>
        <translation>Save PDF…</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="99"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="117"/>
        <source>BẢN THỰC HÀNH — dữ liệu mẫu, không có giá trị</source>
        <translation>PRACTICE COPY — sample data, of no value</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="120"/>
        <source>Không có ai được hỗ trợ trong buổi này.</source>
        <translation>Nobody was helped in this visit.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="124"/>
        <source>Giấy tờ chung của hộ</source>
        <translation>Household forms</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="128"/>
        <source>Hãy giữ tờ này: việc còn lại và nơi cần đến được ghi ở trên.</source>
        <translation>Keep this page: what remains and where to go are written above.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="137"/>
        <source>{date}, từ {start} đến {end}</source>
        <translation>{date}, from {start} to {end}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="141"/>
        <source>{date}, từ {start} (chưa kết thúc)</source>
        <translation>{date}, from {start} (not ended)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="144"/>
        <source>Chủ hộ</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="144"/>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="158"/>
        <source>(chưa có tên)</source>
        <translation>(no name yet)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="145"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="146"/>
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="147"/>
        <source>Tình nguyện viên</source>
        <translation>Volunteer</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="148"/>
        <source>Kết quả</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="148"/>
        <source>Buổi hỗ trợ chưa kết thúc</source>
        <translation>The visit has not ended</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="149"/>
        <source>Đã hỗ trợ</source>
        <translation>Help given</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="149"/>
        <source>Không có</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="156"/>
        <source>Một thành viên đã rút lại đồng ý (thông tin cá nhân đã được xóa)</source>
        <translation>A member who withdrew consent (personal data erased)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="162"/>
        <source>Tài khoản VNeID: {status}</source>
        <translation>VNeID account: {status}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="165"/>
        <source>Đã làm</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="169"/>
        <source>Tờ khai</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="176"/>
        <source>Hướng dẫn “{guide}”: {status}</source>
        <translation>Guide “{guide}”: {status}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="179"/>
        <source>Tài khoản sau hướng dẫn: {status}</source>
        <translation>Account after the guide: {status}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="182"/>
        <source>Gặp vấn đề ở bước “{step}”: {problem}</source>
        <translation>Problem at the step “{step}”: {problem}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="185"/>
        <source>({times} lần)</source>
        <translation>({times} times)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="186"/>
        <source>đã khắc phục</source>
        <translation>solved</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="187"/>
        <source>chưa khắc phục</source>
        <translation>not solved yet</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="189"/>
        <source>Cách khắc phục: {fix}</source>
        <translation>How to fix it: {fix}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="193"/>
        <source>Bỏ qua bước “{step}”: {reason}</source>
        <translation>Skipped the step “{step}”: {reason}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="196"/>
        <source>Bỏ qua bước “{step}”</source>
        <translation>Skipped the step “{step}”</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="205"/>
        <source>mã tham chiếu {reference}</source>
        <translation>reference {reference}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="211"/>
        <source>Việc còn lại</source>
        <translation>What remains</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="214"/>
        <source>Không còn việc gì phải làm.</source>
        <translation>Nothing left to do.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="218"/>
        <source>Ở đâu: {where}</source>
        <translation>Where: {where}</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="260"/>
        <source>Lưu tóm tắt thành PDF</source>
        <translation>Save the summary as PDF</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="261"/>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="290"/>
        <source>Không lưu được tệp PDF ({reason}). Hãy chọn thư mục khác hoặc kiểm tra ổ đĩa còn chỗ trống.</source>
        <translation>Could not save the PDF file ({reason}). Choose another folder or check that the disk has free space.</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/visit_summary_dialog.py" line="294"/>
        <source>Đã lưu PDF: {path}</source>
        <translation>PDF saved: {path}</translation>
    </message>
</context>
<context>
    <name>WorkListDialog</name>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="116"/>
        <source>Việc cần làm</source>
        <translation>Work list</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="120"/>
        <source>Thôn/bản</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="121"/>
        <source>Tất cả thôn/bản</source>
        <translation>All hamlets</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="126"/>
        <source>Chỉ việc được giao cho tôi</source>
        <translation>Only my assignments</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="129"/>
        <source>Thôn/bản:</source>
        <translation>Hamlet:</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="162"/>
        <source>Mở hộ (Enter)</source>
        <translation>Open household (Enter)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="165"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="193"/>
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="214"/>
        <source>{n} hộ</source>
        <translation>{n} households</translation>
    </message>
</context>
<context>
    <name>WorkListModel</name>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="53"/>
        <source>Thôn/bản</source>
        <translation>Hamlet</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="53"/>
        <source>Chủ hộ</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="53"/>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="54"/>
        <source>Còn lại</source>
        <translation>Left to do</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="54"/>
        <source>Hạn</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="87"/>
        <source>(chưa có tên chủ hộ)</source>
        <translation>(no head name yet)</translation>
    </message>
    <message>
        <location filename="../../src/fieldkit/ui/work_list_dialog.py" line="95"/>
        <source>Được giao</source>
        <translation>Assigned</translation>
    </message>
</context>
<context>
    <name>_RepeatView</name>
    <message>
        <location filename="../../src/fieldkit/ui/form_window.py" line="171"/>
        <source>Thêm</source>
        <translation>Add</translation>
    </message>
</context>
</TS>
